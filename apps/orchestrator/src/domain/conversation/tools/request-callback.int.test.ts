import { createDb, withTenant } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createToolTestRuntime } from '../../../../test/call-fixtures';
import type { ToolContext } from './define-tool';
import { requestCallback, resolveCallbackNumber } from './request-callback';

const tools = createToolTestRuntime();
const platformDb = createDb({ url: requireTestDatabaseEnv().platformUrl, poolMax: 1 });
afterAll(() => Promise.all([tools.close(), platformDb.$disconnect()]));

const storedFor = (context: ToolContext) =>
  withTenant(context.runtime.db, context.call.customerId, (tx) => tx.callMessage.findMany({ where: { callSid: context.call.callSid } }));

describe('resolveCallbackNumber', () => {
  it('takes the caller\'s own number for "this number", and normalizes the digits a caller gives', () => {
    expect(resolveCallbackNumber('this number is fine', '+12125550123', 'en-US')).toEqual({
      number: '+12125550123',
      readBack: '+1 212 555 0123',
    });
    expect(resolveCallbackNumber('(646) 555-0188', '+12125550123', 'en-US')).toEqual({
      number: '+16465550188',
      readBack: '+1 646 555 0188',
    });
    expect(resolveCallbackNumber('six four six five five five oh one eight eight', null, 'en-US')).toEqual({
      number: '+16465550188',
      readBack: '+1 646 555 0188',
    });
    // A number without a country code is read in the tenant's country.
    expect(resolveCallbackNumber('020 7946 0958', null, 'en-GB')).toEqual({ number: '+442079460958', readBack: '+44 20 7946 0958' });
  });

  it('refuses what is not a number, and "this number" when the caller withheld theirs', () => {
    expect(resolveCallbackNumber('555 01', '+12125550123', 'en-US')).toEqual({
      error: expect.stringContaining('is not a complete phone number'),
    });
    expect(resolveCallbackNumber('the same number', null, 'en-US')).toEqual({ error: expect.stringContaining('withheld') });
  });
});

describe('request_callback', () => {
  it('needs the caller’s name and a callback number', () => {
    const missing = requestCallback.args.safeParse({ reason: 'Billing', caller_name: ' ', callback_number: '', callback_time: null });
    expect(missing.success ? [] : missing.error.issues.map((issue) => issue.message)).toEqual([
      'caller_name is required: ask the caller for their name first',
      'callback_number is required: ask which number to call back',
    ]);
  });

  it('stores the request with the name, the number in E.164 and the time as said, and gives the number back to read out', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const context = tools.context({ call: { customerId, callerPhone: '+12125550123' } });
    const args = requestCallback.args.parse({
      reason: 'Question about coverage',
      caller_name: 'Robin Park',
      callback_number: 'this number',
      callback_time: ' Tuesday December 8 after 3 PM ',
    });

    await expect(requestCallback.run(context, args)).resolves.toEqual({
      ok: true,
      action: 'Recorded a callback request.',
      outcome: 'callback_requested',
      reply: { callback_number: '+1 212 555 0123' },
    });
    expect(await storedFor(context)).toEqual([
      expect.objectContaining({
        kind: 'callback',
        callerNumber: '+12125550123',
        callerName: 'Robin Park',
        callbackNumber: '+12125550123',
        message: 'Question about coverage',
        callbackTime: 'Tuesday December 8 after 3 PM',
        transferFailed: false,
      }),
    ]);
  });

  it('tells the model the request was not saved when the turn has no time left, and counts it', async () => {
    const before = await tools.dependencyFailures('postgres', 'timeout');
    const args = { reason: 'Billing', caller_name: 'Robin', callback_number: '646 555 0188', callback_time: null };
    await expect(requestCallback.run(tools.context({ timeoutMs: () => 0 }), args)).resolves.toEqual({
      ok: false,
      error: 'the message could not be saved right now',
      say: "I'm sorry, our system couldn't save that message just now.",
    });
    expect(await tools.dependencyFailures('postgres', 'timeout')).toBe(before + 1);
  });
});
