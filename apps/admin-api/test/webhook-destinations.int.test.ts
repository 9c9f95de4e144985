import { createTestTenant } from '@neurosphere/db/testing';
import { useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness } from './harness';

// As deployed (WEBHOOK_ALLOW_PRIVATE_ADDRESSES unset): a tenant's webhook cannot point at the
// platform's own network. The delivery-time check is the same function (webhook-destination.test.ts).
describe('webhook URLs must be public endpoints', () => {
  const harness = useHarness(() => startHarness({ allowPrivateWebhookAddresses: false }));
  let api: (suffix: string) => string;
  let asOwner: string;

  beforeAll(async () => {
    const { customerId } = await createTestTenant(harness.platformDb);
    api = (suffix) => `/v1/tenants/${customerId}${suffix}`;
    asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
  });

  it('refuses a loopback or metadata address with 422 naming the url, and saves nothing', async () => {
    for (const url of ['http://127.0.0.1:8100/v2/callers', 'http://169.254.169.254/latest/meta-data/', 'http://localhost:5000/hooks']) {
      const refused = await request(harness.app)
        .post(api('/webhooks'))
        .send({ url, events: ['call.completed'] })
        .set('authorization', asOwner);
      expect({ url, status: refused.status, code: refused.body.code, path: refused.body.details?.[0]?.path }).toEqual({
        url,
        status: 422,
        code: 'UNPROCESSABLE',
        path: 'url',
      });
      expect(refused.body.error).toMatch(/^url: the host .+ is at .+, which is not a public address/);
    }
    const list = await request(harness.app).get(api('/webhooks')).set('authorization', asOwner);
    expect(list.body.webhooks).toEqual([]);
  });

  it('accepts a public address, and refuses changing it to a private one', async () => {
    const created = await request(harness.app)
      .post(api('/webhooks'))
      .send({ url: 'https://203.0.113.10/hooks', events: ['call.completed'] })
      .set('authorization', asOwner);
    expect(created.status).toBe(201);
    const moved = await request(harness.app)
      .patch(api(`/webhooks/${created.body.webhook.id}`))
      .send({ url: 'http://10.0.0.7/hooks' })
      .set('authorization', asOwner);
    expect({ status: moved.status, path: moved.body.details?.[0]?.path }).toEqual({ status: 422, path: 'url' });
    const list = await request(harness.app).get(api('/webhooks')).set('authorization', asOwner);
    expect(list.body.webhooks.map((webhook: { url: string }) => webhook.url)).toEqual(['https://203.0.113.10/hooks']);
  });
});
