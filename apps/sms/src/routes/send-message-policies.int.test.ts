import { withTenant } from '@neurosphere/db';
import { uniquePhone } from '@neurosphere/testing';
import type request from 'supertest';
import { createSmsTenant, useMessageRoutes } from '../../test/harness';

describe('POST /v1/messages', () => {
  const { harness, post, sentTo } = useMessageRoutes();

  describe('opt-out, rate limit, templates', () => {
    it('refuses an opted-out recipient with 422 RECIPIENT_OPTED_OUT, records the attempt, sends nothing', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsOptOut.create({ data: { customerId: tenant.customerId, phone: to, keyword: 'STOP' } }),
      );

      const response = await post(tenant.customerId, { to, body: 'are you there?' });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        success: false,
        error: 'The recipient has opted out of texts from this business (replied STOP); the text was not sent',
        code: 'RECIPIENT_OPTED_OUT',
        details: [{ path: 'to', message: 'recipient opted out' }],
      });
      const recorded = await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsMessage.findMany({ where: { customerId: tenant.customerId, toNumber: to } }),
      );
      expect(recorded).toEqual([expect.objectContaining({ status: 'failed', errorCode: 'RECIPIENT_OPTED_OUT', body: 'are you there?' })]);
      expect(sentTo(to)).toEqual([]);
    });

    it('limits each tenant to its texts per minute with 429, without touching other tenants', async () => {
      const [limited, other] = await Promise.all([
        createSmsTenant(harness, { smsRateLimitPerMinute: 2 }),
        createSmsTenant(harness, { smsRateLimitPerMinute: 2 }),
      ]);
      const statuses: number[] = [];
      let refused: request.Response | undefined;
      for (let i = 0; i < 3; i++) {
        const response = await post(limited.customerId, { to: uniquePhone(), body: `text ${i}` });
        statuses.push(response.status);
        if (response.status === 429) refused = response;
      }
      expect(statuses).toEqual([202, 202, 429]);
      expect(refused?.body).toEqual({
        success: false,
        error: expect.stringMatching(/^Rate limit reached: this business may send 2 texts per minute; retry in \d+ s$/),
        code: 'RATE_LIMITED',
      });
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(other.customerId, { to: uniquePhone(), body: 'unaffected' })).status).toBe(202);
    });

    it("renders a tenant template with the caller's profile and explicit variables", async () => {
      const tenant = await createSmsTenant(harness, { businessName: 'Test Insurance Co' });
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, async (tx) => {
        await tx.smsTemplate.create({
          data: {
            customerId: tenant.customerId,
            name: 'missed_call',
            body: 'Hi {{name}}, {{business_name}} missed your call about {{topic}}. {{ link }}',
          },
        });
        await tx.callerProfile.create({
          data: { customerId: tenant.customerId, userId: to, name: 'Dana', variables: { topic: 'your policy' } },
        });
      });
      const response = await post(tenant.customerId, { to, template: 'missed_call', variables: { link: 'https://example.test/cb' } });
      expect(response.status).toBe(202);
      expect(response.body.message).toMatchObject({
        template: 'missed_call',
        body: 'Hi Dana, Test Insurance Co missed your call about your policy. https://example.test/cb',
      });
      await harness.waitForSend(tenant.customerId, response.body.message.id);
      expect(sentTo(to).map((sent) => sent.body)).toEqual([
        'Hi Dana, Test Insurance Co missed your call about your policy. https://example.test/cb',
      ]);
    });

    it('answers 422 naming each missing placeholder, and an unknown template, writing nothing', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsTemplate.create({ data: { customerId: tenant.customerId, name: 'follow_up', body: 'Hi {{name}}, about {{topic}}' } }),
      );
      const missing = await post(tenant.customerId, { to, template: 'follow_up' });
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({
        success: false,
        error: 'SMS template "follow_up" needs {{name}}, {{topic}}: pass them in variables or store them on the caller profile',
        code: 'UNPROCESSABLE',
        details: [
          { path: 'variables.name', message: 'template placeholder {{name}} has no value' },
          { path: 'variables.topic', message: 'template placeholder {{topic}} has no value' },
        ],
      });
      const unknown = await post(tenant.customerId, { to, template: 'nope' });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toEqual({
        success: false,
        error: 'SMS template "nope" does not exist for this tenant',
        code: 'UNPROCESSABLE',
        details: [{ path: 'template', message: 'no template named "nope"' }],
      });
      const stored = await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsMessage.count({ where: { customerId: tenant.customerId } }),
      );
      expect(stored).toBe(0);
    });
  });
});
