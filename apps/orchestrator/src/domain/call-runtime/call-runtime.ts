import type { CallInstructions } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { LlmClient } from '../../clients/openai-chat';
import type { MemoryClient } from '../../clients/memory-client';
import type { SmsClient } from '../../clients/sms-client';
import type { TwilioCallLookup } from '../../clients/twilio-calls';
import type { TtsClient } from '../../clients/elevenlabs-tts';
import type { FailureReporter } from '../../observability/report-failure';
import type { ProviderKeyStore } from '../tenants/provider-key-store';
import type { AudioStore } from './audio-store';
import type { CallStateStore } from './call-state';

export type Speech = CallInstructions['speak'][number];

/** Timeouts and defaults of the call path (app.ts reads them from env.ts). */
export interface CallSettings {
  turnBudgetMs: number;
  openaiTimeoutMs: number;
  elevenlabsTimeoutMs: number;
  memoryContextTimeoutMs: number;
  memorySubmitTimeoutMs: number;
  smsTimeoutMs: number;
  redisTimeoutMs: number;
  databaseTimeoutMs: number;
  defaultModel: string;
  /** The chat models tenants may choose; a tenant's model outside it falls back to defaultModel. */
  allowedModels: readonly string[];
  /** Temperature for tenants that set none (low: a receptionist should be steady, not creative). */
  defaultTemperature: number;
  maxCompletionTokens: number;
  /** Speech recognition confidence below which the agent confirms what it heard. */
  lowConfidenceThreshold: number;
  /** How <Gather> listens (Twilio speech model and end-of-speech pause). */
  gather: { speechModel: string | null; speechTimeout: 'auto' | number };
  /** How long a transfer rings before the agent comes back to the caller. */
  transferRingSeconds: number;
  ttsModelId: string;
}

/** Schedules a retry of a transcript that memory did not accept when the call ended. */
export interface TranscriptRetryScheduler {
  schedule(options: { customerId: number; callSid: string }): Promise<void>;
}

/** Schedules the finish-call job of a call whose end waits in an outbox (or never came). */
export interface CallFinishScheduler {
  schedule(options: { customerId: number; callSid: string }): Promise<void>;
}

/** Everything the call domain functions talk to; built once by app.ts from AppDeps. */
export interface CallRuntime {
  db: Db;
  logger: Logger;
  failures: FailureReporter;
  settings: CallSettings;
  callStates: CallStateStore;
  audio: AudioStore;
  llm: LlmClient;
  tts: TtsClient;
  memory: MemoryClient;
  sms: SmsClient;
  providerKeys: ProviderKeyStore;
  transcriptRetries: TranscriptRetryScheduler;
  callFinishes: CallFinishScheduler;
  /** Twilio's Calls resource: what the reaper asks about a call whose end never came. */
  twilioCalls: TwilioCallLookup;
}
