// Fixtures for tests of the call domain below the routes: call settings, a tenant snapshot, and
// what a tool runs with (the real failure reporter and metrics, a Prisma client on the test
// database, connected only when a tool queries it, and an sms stand-in behind the SmsClient
// interface: the client itself runs against the fake sms service in the route tests).
import { randomInt } from 'node:crypto';
import { createDb } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import type { SmsClient } from '../src/clients/sms-client';
import type { CallSettings } from '../src/domain/call-runtime/call-runtime';
import { tenantSnapshotSchema } from '../src/domain/tenants/tenant-snapshot';
import type { TenantSnapshot } from '../src/domain/tenants/tenant-snapshot';
import type { ToolCall, ToolContext } from '../src/domain/conversation/tools/define-tool';
import { createMetrics } from '../src/observability/metrics';
import type { Dependency, FailureKind } from '../src/observability/metrics';
import { createFailureReporter } from '../src/observability/report-failure';

export const testCallSettings: CallSettings = {
  turnBudgetMs: 5000,
  openaiTimeoutMs: 2000,
  elevenlabsTimeoutMs: 2000,
  memoryContextTimeoutMs: 1000,
  memorySubmitTimeoutMs: 1000,
  smsTimeoutMs: 1000,
  redisTimeoutMs: 500,
  databaseTimeoutMs: 1000,
  defaultModel: 'gpt-test',
  allowedModels: ['gpt-test'],
  defaultTemperature: 0.3,
  maxCompletionTokens: 160,
  lowConfidenceThreshold: 0.5,
  gather: { speechModel: 'phone_call', speechTimeout: 1 },
  transferRingSeconds: 20,
  ttsModelId: 'model-test',
};

/** A tenant snapshot; fields not given take the schema's defaults, as a call state from Redis would. */
export function testTenantSnapshot(overrides: Partial<TenantSnapshot> = {}): TenantSnapshot {
  return tenantSnapshotSchema.parse({
    businessName: 'Example Dental',
    agentName: 'Riley',
    greeting: 'Example Dental, this is Riley.',
    voiceId: 'voice-1',
    personality: 'Friendly and brief.',
    transferNumber: '+12125550150',
    speechTimeoutSeconds: 5,
    openaiModel: null,
    industry: 'dental',
    templateVersion: 3,
    promptFragments: null,
    byokProviders: [],
    sayVoice: 'Polly.Joanna-Neural',
    ...overrides,
  });
}

type SmsRequest = Parameters<SmsClient['sendMessage']>[0];

/** The call a tool acts for: a fresh call sid and caller number, an unknown caller, unless given. */
export function testToolCall(overrides: Partial<ToolCall> = {}): ToolCall {
  return {
    customerId: randomInt(1_000_000, 2_000_000_000),
    callSid: uniqueCallSid(),
    callerPhone: uniquePhone(),
    calledPhone: uniquePhone(),
    tenant: testTenantSnapshot(),
    callerContext: { knownCaller: false, promptContext: '', name: null, facts: [] },
    verification: { status: 'not_needed', failedAttempts: 0 },
    afterHours: false,
    transferFailed: false,
    ...overrides,
  };
}

export interface ToolTestRuntime {
  /** A context for one tool call; the call gets a fresh call sid and caller number unless given. */
  context(overrides?: Partial<Omit<ToolContext, 'call'>> & { call?: Partial<ToolContext['call']> }): ToolContext;
  /** What the sms stand-in was asked to send. */
  smsRequests: SmsRequest[];
  /** Makes the sms stand-in fail (undefined: succeed again). */
  failSmsWith(error: Error | undefined): void;
  dependencyFailures(dependency: Dependency, kind: FailureKind): Promise<number>;
  close(): Promise<void>;
}

export function createToolTestRuntime(): ToolTestRuntime {
  const metrics = createMetrics();
  const db = createDb({ url: requireTestDatabaseEnv().appUrl, poolMax: 1 });
  const smsRequests: SmsRequest[] = [];
  let smsError: Error | undefined;
  const sms: SmsClient = {
    async sendMessage(request) {
      smsRequests.push(request);
      if (smsError) throw smsError;
      return { messageId: `msg-${smsRequests.length}`, status: 'queued' };
    },
  };
  const runtime: ToolContext['runtime'] = {
    db,
    sms,
    settings: testCallSettings,
    failures: createFailureReporter(metrics, createLogger({ service: 'orchestrator-test', level: 'silent' })),
  };

  return {
    context: (overrides = {}) => ({
      runtime,
      toolCallId: `call_${randomInt(1e9)}`,
      effectKey: `effect-${randomInt(1e9)}`,
      now: new Date(),
      timeoutMs: (preferredMs) => preferredMs,
      ...overrides,
      call: testToolCall(overrides.call),
    }),
    smsRequests,
    failSmsWith: (error) => {
      smsError = error;
    },
    dependencyFailures: async (dependency, kind) =>
      (await metrics.dependencyFailures.get()).values.find((value) => value.labels.dependency === dependency && value.labels.kind === kind)
        ?.value ?? 0,
    close: () => db.$disconnect(),
  };
}
