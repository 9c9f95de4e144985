import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallLocks } from './call-lock';

/** The relay path's own limits (app.ts reads them from env.ts). */
export interface RelaySettings {
  /** No token by then: the caller hears the fallback sentence (the goal: within 2 s). */
  firstTokenTimeoutMs: number;
  /** How long a request waits for the call's lock (an interrupt waits for the turn it interrupted). */
  lockWaitMs: number;
}

/** The call runtime (its model client streams too) plus what streaming needs: per-call locks and the relay's limits. */
export interface RelayRuntime extends CallRuntime {
  callLocks: CallLocks;
  relay: RelaySettings;
}
