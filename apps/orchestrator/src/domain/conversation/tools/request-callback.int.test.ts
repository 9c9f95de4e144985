import { createDb, withTenant } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createToolTestRuntime } from '../../../../test/call-fixtures';
import { requestCallback } from './request-callback';

const tools = createToolTestRuntime();
const platformDb = createDb({ url: requireTestDatabaseEnv().platformUrl, poolMax: 1 });
afterAll(() => Promise.all([tools.close(), platformDb.$disconnect()]));

describe('request_callback', () => {
  it('stores a callback request with the reason and the time as the caller said them', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const context = tools.context({ call: { customerId } });
    const args = requestCallback.args.parse({ reason: 'Question about coverage', callback_time: ' tomorrow after 3 ' });

    await expect(requestCallback.run(context, args)).resolves.toEqual({
      ok: true,
      action: 'Recorded a callback request.',
      outcome: 'callback_requested',
    });
    const stored = await withTenant(context.runtime.db, customerId, (tx) => tx.callMessage.findMany({ where: { callSid: context.call.callSid } }));
    expect(stored).toEqual([
      expect.objectContaining({
        kind: 'callback',
        callerNumber: context.call.callerPhone,
        callerName: null,
        message: 'Question about coverage',
        callbackTime: 'tomorrow after 3',
      }),
    ]);
  });

  it('tells the model the request was not saved when the turn has no time left, and counts it', async () => {
    const before = await tools.dependencyFailures('postgres', 'timeout');
    await expect(requestCallback.run(tools.context({ timeoutMs: () => 0 }), { reason: 'Billing' })).resolves.toEqual({
      ok: false,
      error: 'the message could not be saved right now',
    });
    expect(await tools.dependencyFailures('postgres', 'timeout')).toBe(before + 1);
  });
});
