import { createDb, withTenant } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createToolTestRuntime } from '../../../../test/call-fixtures';
import type { ToolContext } from './define-tool';
import { takeMessage } from './take-message';

const tools = createToolTestRuntime();
const platformDb = createDb({ url: requireTestDatabaseEnv().platformUrl, poolMax: 1 });
afterAll(() => Promise.all([tools.close(), platformDb.$disconnect()]));

async function messagesOf(context: ToolContext) {
  const { customerId, callSid } = context.call;
  return withTenant(context.runtime.db, customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
}

describe('take_message', () => {
  it("stores the message for the call's tenant, from the caller's own number", async () => {
    const { customerId } = await createTestTenant(platformDb);
    const context = tools.context({ call: { customerId } });

    const result = await takeMessage.run(
      context,
      takeMessage.args.parse({ message: ' Please call about the invoice ', caller_name: 'Sam' }),
    );

    expect(result).toEqual({ ok: true, action: 'Took a message for the business.', outcome: 'message_taken' });
    expect(await messagesOf(context)).toEqual([
      expect.objectContaining({
        customerId,
        kind: 'message',
        callerNumber: context.call.callerPhone,
        callerName: 'Sam',
        message: 'Please call about the invoice',
        callbackTime: null,
        transferFailed: false,
      }),
    ]);
  });

  it('marks a message taken after a transfer went unanswered, and records a withheld number as such', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const context = tools.context({ call: { customerId, transferFailed: true, callerPhone: null } });

    await takeMessage.run(context, takeMessage.args.parse({ message: 'Nobody picked up, please call', caller_name: null }));

    expect(await messagesOf(context)).toEqual([
      expect.objectContaining({ callerNumber: 'anonymous', transferFailed: true, message: 'Nobody picked up, please call' }),
    ]);
  });

  it('tells the model the message was not saved when the turn has no time left, and counts it', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const context = tools.context({ call: { customerId }, timeoutMs: () => 0 });
    const before = await tools.dependencyFailures('postgres', 'timeout');

    await expect(takeMessage.run(context, { message: 'Call me', caller_name: null })).resolves.toEqual({
      ok: false,
      error: 'the message could not be saved right now',
      say: "I'm sorry, our system couldn't save that message just now.",
    });
    expect(await tools.dependencyFailures('postgres', 'timeout')).toBe(before + 1);
    expect(await messagesOf(context)).toEqual([]);
  });
});
