import { AppError } from '@neurosphere/http';
import type { RelayRuntime } from './relay-runtime';

/**
 * Twilio opened the call's socket (ConversationRelay `setup`): the call must exist for this
 * tenant, else the gateway closes the socket. Nothing else is read here: the caller's context
 * was loaded when the call was answered, a few hundred milliseconds earlier.
 */
export async function confirmRelaySetup(options: {
  runtime: RelayRuntime;
  customerId: number;
  callSid: string;
  sessionId: string;
}): Promise<void> {
  const { runtime, customerId, callSid } = options;
  const state = await runtime.callStates.load({ customerId, callSid, timeoutMs: runtime.settings.redisTimeoutMs });
  if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it ended)`);
  runtime.logger.info({ customer_id: customerId, callSid, sessionId: options.sessionId }, 'relay session set up');
}
