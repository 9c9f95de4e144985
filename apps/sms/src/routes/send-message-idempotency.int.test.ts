import { uniquePhone } from '@neurosphere/testing';
import { createSmsTenant, useMessageRoutes } from '../../test/harness';

describe('POST /v1/messages', () => {
  const { harness, post, sentTo } = useMessageRoutes();

  describe('idempotency', () => {
    it('sends once for a repeated idempotency key and answers with the first message', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      const body = { to, body: 'Here is the link', idempotency_key: 'CA123:tool-1' };
      const first = await post(tenant.customerId, body);
      expect(first.status).toBe(202);
      await harness.waitForSend(tenant.customerId, first.body.message.id);

      const again = await post(tenant.customerId, body);
      expect(again.status).toBe(202);
      expect(again.body.message).toMatchObject({ id: first.body.message.id, status: 'sent' });
      expect(sentTo(to)).toHaveLength(1);
    });

    it('sends once when the same key arrives concurrently', async () => {
      const tenant = await createSmsTenant(harness, { smsRateLimitPerMinute: 100 });
      const to = uniquePhone();
      const body = { to, body: 'Concurrent', idempotency_key: 'same-key' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(tenant.customerId, body)));
      expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
      const ids = new Set(responses.map((response) => response.body.message.id as string));
      expect(ids.size).toBe(1);
      await harness.waitForSend(tenant.customerId, [...ids][0]!);
      expect(sentTo(to)).toHaveLength(1);
    });

    it('keeps idempotency keys per tenant', async () => {
      const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
      const to = uniquePhone();
      const first = await post(a.customerId, { to, body: 'same key', idempotency_key: 'shared' });
      const second = await post(b.customerId, { to, body: 'same key', idempotency_key: 'shared' });
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.message.id).not.toBe(first.body.message.id);
      await Promise.all([
        harness.waitForSend(a.customerId, first.body.message.id),
        harness.waitForSend(b.customerId, second.body.message.id),
      ]);
      expect(sentTo(to)).toHaveLength(2);
    });

    it('answers 409 when a key is reused for a different message', async () => {
      const tenant = await createSmsTenant(harness);
      await post(tenant.customerId, { to: uniquePhone(), body: 'first', idempotency_key: 'k1' });
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'second', idempotency_key: 'k1' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        success: false,
        error: 'This idempotency_key was already used for a different message',
        code: 'CONFLICT',
        details: [{ path: 'idempotency_key', message: 'already used with another recipient, body or template' }],
      });
    });
  });
});
