import { uniquePhone } from '@neurosphere/testing';
import { createSmsTenant, useMessageRoutes } from '../../test/harness';

describe('POST /v1/messages', () => {
  const { harness, post, sentTo } = useMessageRoutes();

  describe('Twilio failures', () => {
    it('retries after a Twilio 500 and sends exactly once', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
      const response = await post(tenant.customerId, { to, body: 'after a hiccup' });
      await harness.waitForSend(tenant.customerId, response.body.message.id);

      expect(sentTo(to)).toHaveLength(1);
      const stored = await harness.message(tenant.customerId, response.body.message.id);
      expect(stored).toMatchObject({ status: 'sent', attempts: 2, errorCode: null, twilioSid: sentTo(to)[0]?.sid });
    });

    it('retries a Twilio 429', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
      const response = await post(tenant.customerId, { to, body: 'slow down' });
      await harness.waitForSend(tenant.customerId, response.body.message.id);
      expect(sentTo(to)).toHaveLength(1);
    });

    it('records an invalid number as failed with the Twilio code and does not retry', async () => {
      const tenant = await createSmsTenant(harness);
      harness.fakeTwilio.queueFailures({
        status: 400,
        body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
      });
      const before = harness.fakeTwilio.requests.length;
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'never arrives' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('21211');

      expect(harness.fakeTwilio.requests.length - before).toBe(1);
      const job = await harness.queue.getJob(`sms:${tenant.customerId}:${response.body.message.id}`);
      expect(job?.attemptsMade).toBe(1);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({
        status: 'failed',
        errorCode: '21211',
        errorMessage: "The 'To' number is not a valid phone number.",
        twilioSid: null,
      });
    });

    it('records an unsubscribed recipient (21610) as failed and as opted out', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({
        status: 400,
        body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
      });
      const response = await post(tenant.customerId, { to, body: 'blocked' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('21610');
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({ status: 'failed', errorCode: '21610' });

      const next = await post(tenant.customerId, { to, body: 'again' });
      expect(next.status).toBe(422);
      expect(next.body.code).toBe('RECIPIENT_OPTED_OUT');
    });

    it('records a message as failed once the retries run out', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      const outage = { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };
      harness.fakeTwilio.queueFailures(outage, outage, outage, outage);
      const response = await post(tenant.customerId, { to, body: 'outage' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('20503');
      expect(sentTo(to)).toEqual([]);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({
        status: 'failed',
        errorCode: '20503',
        attempts: 4,
      });
    });
  });
});
