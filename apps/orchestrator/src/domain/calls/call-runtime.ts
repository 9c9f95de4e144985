import type { CallInstructions } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { LlmClient } from '../../clients/openai-chat';
import type { MemoryClient } from '../../clients/memory-client';
import type { SmsClient } from '../../clients/sms-client';
import type { TtsClient } from '../../clients/elevenlabs-tts';
import type { Env } from '../../env';
import type { FailureReporter } from '../../observability/report-failure';
import type { AudioStore } from '../speech/audio-store';
import type { ProviderKeyStore } from '../tenants/provider-key-store';
import type { CallStateStore } from './call-state';

export type Speech = CallInstructions['speak'][number];

/** Timeouts and defaults of the call path (from env.ts). */
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
  ttsModelId: string;
}

export function callSettingsFromEnv(env: Env): CallSettings {
  return {
    turnBudgetMs: env.TURN_BUDGET_MS,
    openaiTimeoutMs: env.OPENAI_TIMEOUT_MS,
    elevenlabsTimeoutMs: env.ELEVENLABS_TIMEOUT_MS,
    memoryContextTimeoutMs: env.MEMORY_CONTEXT_TIMEOUT_MS,
    memorySubmitTimeoutMs: env.MEMORY_SUBMIT_TIMEOUT_MS,
    smsTimeoutMs: env.SMS_TIMEOUT_MS,
    redisTimeoutMs: env.REDIS_TIMEOUT_MS,
    databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
    defaultModel: env.OPENAI_DEFAULT_MODEL,
    ttsModelId: env.ELEVENLABS_MODEL_ID,
  };
}

/** Schedules a retry of a transcript that memory did not accept when the call ended. */
export interface TranscriptRetryScheduler {
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
}
