import { createToolTestRuntime } from '../../../../test/call-fixtures';
import { sendSms } from './send-sms';

const tools = createToolTestRuntime();
afterAll(() => tools.close());
afterEach(() => tools.failSmsWith(undefined));

describe('send_sms', () => {
  it("texts the caller's own number, keyed by call and tool call so a retry never texts twice", async () => {
    const context = tools.context({ timeoutMs: (preferredMs) => preferredMs - 1 });
    const result = await sendSms.run(context, sendSms.args.parse({ message: '  Our address is 1 Test Street. ' }));

    expect(result).toEqual({ ok: true, action: 'Sent the caller a text message.' });
    expect(tools.smsRequests.at(-1)).toEqual({
      customerId: context.call.customerId,
      callSid: context.call.callSid,
      to: context.call.callerPhone,
      body: 'Our address is 1 Test Street.',
      idempotencyKey: `${context.call.callSid}:${context.toolCallId}`,
      timeoutMs: context.runtime.settings.smsTimeoutMs - 1,
    });
  });

  it('tells the model the text was not sent and counts the failure', async () => {
    tools.failSmsWith(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const before = await tools.dependencyFailures('sms', 'unavailable');

    await expect(sendSms.run(tools.context(), { message: 'Hello' })).resolves.toEqual({
      ok: false,
      error: 'the text could not be sent right now',
    });
    expect(await tools.dependencyFailures('sms', 'unavailable')).toBe(before + 1);
  });

  it('refuses an empty or overlong text', () => {
    expect(sendSms.args.safeParse({ message: ' ' }).success).toBe(false);
    expect(sendSms.args.safeParse({ message: 'x'.repeat(641) }).success).toBe(false);
  });
});
