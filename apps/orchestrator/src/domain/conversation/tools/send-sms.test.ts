import { UpstreamError } from '@neurosphere/http';
import { createToolTestRuntime, testTenantSnapshot } from '../../../../test/call-fixtures';
import { composeText, sendSms } from './send-sms';

const tools = createToolTestRuntime();
afterAll(() => tools.close());
afterEach(() => tools.failSmsWith(undefined));

describe('send_sms', () => {
  it("texts the caller's own number, keyed by call and content so a repeated request never texts twice", async () => {
    const context = tools.context({ timeoutMs: (preferredMs) => preferredMs - 1 });
    const result = await sendSms.run(context, sendSms.args.parse({ message: '  Our address is 1 Test Street. ', consent: true }));

    expect(result).toEqual({ ok: true, action: 'Sent the caller a text message.' });
    expect(tools.smsRequests.at(-1)).toEqual({
      customerId: context.call.customerId,
      callSid: context.call.callSid,
      to: context.call.callerPhone,
      body: 'Our address is 1 Test Street.',
      idempotencyKey: `${context.call.callSid}:sms:${context.effectKey}`,
      timeoutMs: context.runtime.settings.smsTimeoutMs - 1,
    });
  });

  it("needs the caller's consent as an argument", () => {
    const refused = sendSms.args.safeParse({ message: 'Hello', consent: false });
    expect(refused.success ? null : refused.error.issues[0]?.message).toBe(
      'consent must be true: ask the caller whether they want the text, and send it only after they say yes',
    );
    expect(sendSms.args.safeParse({ message: 'Hello' }).success).toBe(false);
  });

  it("wraps the text in the tenant's SMS template when it has one it can fill", () => {
    const tenant = testTenantSnapshot({ smsTemplateBody: '{{business_name}}: {{message}} Reply STOP to opt out. - {{ agent_name }}' });
    expect(composeText(tenant, 'See you at 3.')).toBe('Example Dental: See you at 3. Reply STOP to opt out. - Riley');
    expect(composeText(testTenantSnapshot({ smsTemplateBody: 'Hi {{name}}, {{message}}' }), 'See you at 3.')).toBe('See you at 3.');
    expect(composeText(testTenantSnapshot(), 'See you at 3.')).toBe('See you at 3.');
    // A placeholder with a formatter is still filled, never sent as written.
    expect(composeText(testTenantSnapshot({ smsTemplateBody: '{{business_name|capitalize}}: {{message}}' }), 'See you at 3.')).toBe(
      'Example Dental: See you at 3.',
    );
  });

  it('tells an opted-out caller the truth, without counting it as a failure', async () => {
    tools.failSmsWith(
      new UpstreamError({
        service: 'sms',
        operation: 'sendMessage',
        reason: 'error_status',
        message: 'sms answered HTTP 422: The recipient has opted out of texts from this business (replied STOP); the text was not sent',
        status: 422,
        code: 'RECIPIENT_OPTED_OUT',
      }),
    );
    const before = await tools.dependencyFailures('sms', 'error');

    await expect(sendSms.run(tools.context(), { message: 'Hello', consent: true })).resolves.toEqual({
      ok: false,
      error: expect.stringContaining('this caller opted out of texts from this business (they replied STOP)'),
      say: expect.stringContaining('this number has opted out of our texts'),
    });
    expect(await tools.dependencyFailures('sms', 'error')).toBe(before);
  });

  it('tells the model the text was not sent and counts the failure', async () => {
    tools.failSmsWith(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const before = await tools.dependencyFailures('sms', 'unavailable');

    await expect(sendSms.run(tools.context(), { message: 'Hello', consent: true })).resolves.toEqual({
      ok: false,
      error: 'the text could not be sent right now (a problem on our side)',
      say: "I'm sorry, our texting system isn't working right now, so I couldn't send that text.",
    });
    expect(await tools.dependencyFailures('sms', 'unavailable')).toBe(before + 1);
  });

  it('refuses an empty or overlong text, and a caller whose number is withheld', async () => {
    expect(sendSms.args.safeParse({ message: ' ', consent: true }).success).toBe(false);
    expect(sendSms.args.safeParse({ message: 'x'.repeat(641), consent: true }).success).toBe(false);
    expect(sendSms.available?.(tools.context({ call: { callerPhone: null } }).call, new Date())).toBe(false);
  });
});
