import type { StreamingLlmClient } from '../../clients/openai-chat-stream';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallLocks } from './call-lock';

/** The relay path's own limits (app.ts reads them from env.ts). */
export interface RelaySettings {
  /** No token by then: the caller hears the fallback sentence (the goal: within 2 s). */
  firstTokenTimeoutMs: number;
  /** How long a request waits for the call's lock (an interrupt waits for the turn it interrupted). */
  lockWaitMs: number;
}

/** The call runtime plus what streaming needs: a streaming model client and per-call locks. */
export interface RelayRuntime extends CallRuntime {
  streamingLlm: StreamingLlmClient;
  callLocks: CallLocks;
  relay: RelaySettings;
}
