import { z } from 'zod';
import { recordCallerMessage } from '../../messages/record-caller-message';
import type { RecordCallerMessageOptions } from '../../messages/record-caller-message';
import { PLATFORM_PHRASES } from '../platform-phrases';
import { callDependency } from './define-tool';
import type { ToolContext, ToolFailure } from './define-tool';

/** The caller's name, as the tools that record a message for the business take it. */
export const callerNameArg = z.string().trim().max(200).nullable().describe('The caller’s name, if they gave it; otherwise null');

/** How urgent the caller says it is; staff see it in the inbox and in "URGENT" notifications. */
export const urgencyArg = z
  .enum(['low', 'normal', 'high'])
  .nullish()
  .describe(
    '"high" for an emergency or something due today (a leak, an accident, a closing), "low" when the caller says there is no hurry, otherwise "normal"',
  );

/**
 * What take_message and request_callback do: a row in call_messages for the call's tenant, from
 * the number the call comes from, marked when it was taken because a transfer went unanswered.
 * A failure is counted, and the model hears that nothing was saved.
 */
export function saveCallerMessage(
  context: ToolContext,
  operation: string,
  message: Pick<RecordCallerMessageOptions, 'kind' | 'callerName' | 'message' | 'callbackTime' | 'callbackNumber' | 'urgency'>,
): Promise<{ ok: true; value: string } | ToolFailure> {
  const { runtime, call } = context;
  return callDependency(
    context,
    { dependency: 'postgres', operation, error: 'the message could not be saved right now', say: PLATFORM_PHRASES.messageNotSaved },
    () =>
      recordCallerMessage({
        ...message,
        db: runtime.db,
        customerId: call.customerId,
        callSid: call.callSid,
        callerPhone: call.callerPhone,
        transferFailed: call.transferFailed,
        timeoutMs: context.timeoutMs(runtime.settings.databaseTimeoutMs),
      }),
  );
}
