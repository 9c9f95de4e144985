import { AppError } from '@neurosphere/http';
import type { RelayRuntime } from './relay-runtime';

export interface InterruptRelayTurnOptions {
  runtime: RelayRuntime;
  customerId: number;
  callSid: string;
  /** What Twilio had spoken of the agent's last answer when the caller talked over it. */
  utteranceUntilInterrupt: string;
}

/**
 * The caller talked over the agent. The interrupted turn (aborted by the gateway) saved what the
 * model had written; the transcript, and so the model's next prompt, keeps only what the caller
 * heard. Waits for that turn's lock, so it trims the saved line, not one still being written.
 */
export async function interruptRelayTurn(options: InterruptRelayTurnOptions): Promise<void> {
  const { runtime, customerId, callSid } = options;
  await runtime.callLocks.withLock({ customerId, callSid, waitMs: runtime.relay.lockWaitMs }, async () => {
    const state = await runtime.callStates.load({ customerId, callSid, timeoutMs: runtime.settings.redisTimeoutMs });
    if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it ended)`);
    const last = state.turns.at(-1);
    if (last?.role !== 'agent') return;
    const heard = options.utteranceUntilInterrupt.trim();
    // Usage stays: Twilio was sent (and synthesized) every token, heard or not.
    if (heard) last.text = heard;
    else state.turns.pop();
    state.turns.push({ role: 'system', text: 'The caller interrupted the agent.', at: new Date().toISOString() });
    await runtime.callStates.save({ state, timeoutMs: runtime.settings.redisTimeoutMs, existingOnly: true });
  });
}
