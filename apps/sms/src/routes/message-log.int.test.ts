import { withTenant } from '@neurosphere/db';
import type { SmsStatus } from '@neurosphere/db';
import { uniqueMessageSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { SMS_CALLERS } from './allowed-callers';
import { createSmsTenant, startHarness } from '../../test/harness';
import type { SmsTenant } from '../../test/harness';

describe('message log: GET /v1/messages', () => {
  // No service reads the log yet (SMS_CALLERS refuses everyone); its behaviour is tested with
  // admin-api, the caller it is meant for, as the one allowed caller.
  const harness = useHarness(() => startHarness({ callers: { ...SMS_CALLERS, listMessages: ['admin-api'], getMessage: ['admin-api'] } }));

  interface Seed {
    to?: string;
    from?: string;
    direction?: 'inbound' | 'outbound';
    status?: SmsStatus;
    at: string;
    body?: string;
  }

  /** Writes log rows directly (with chosen timestamps), as the tenant. */
  async function seed(tenant: SmsTenant, rows: Seed[]): Promise<string[]> {
    return withTenant(harness.db, tenant.customerId, async (tx) => {
      const ids: string[] = [];
      for (const row of rows) {
        const direction = row.direction ?? 'outbound';
        const created = await tx.smsMessage.create({
          data: {
            customerId: tenant.customerId,
            direction,
            fromNumber: row.from ?? tenant.numbers[0]!,
            toNumber: row.to ?? uniquePhone(),
            body: row.body ?? `message at ${row.at}`,
            status: row.status ?? (direction === 'inbound' ? 'received' : 'sent'),
            twilioSid: uniqueMessageSid(),
            createdAt: new Date(row.at),
          },
        });
        ids.push(created.id);
      }
      return ids;
    });
  }

  const list = async (tenant: SmsTenant, query: Record<string, string | number> = {}) =>
    request(harness.app)
      .get('/v1/messages')
      .query(query)
      .set('authorization', `Bearer ${await harness.token('admin-api', tenant.customerId)}`);

  it('lists newest first and pages with a cursor', async () => {
    const tenant = await createSmsTenant(harness);
    const ids = await seed(tenant, [
      { at: '2026-11-01T10:00:00Z' },
      { at: '2026-11-02T10:00:00Z' },
      { at: '2026-11-02T10:00:00Z' },
      { at: '2026-11-03T10:00:00Z' },
      { at: '2026-11-04T10:00:00Z' },
    ]);
    // Newest first; the two messages of the same instant by id, descending.
    const order = [ids[4], ids[3], ...[ids[1]!, ids[2]!].sort().reverse(), ids[0]];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: request.Response = await list(tenant, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(response.status).toBe(200);
      seen.push(...response.body.messages.map((message: { id: string }) => message.id));
      cursor = response.body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(order);
    expect(pages).toBe(3);
  });

  it('filters by phone number (either side), status, direction and date range', async () => {
    const tenant = await createSmsTenant(harness);
    const caller = uniquePhone();
    const [toCaller, fromCaller, failedToCaller, other] = await seed(tenant, [
      { to: caller, at: '2026-11-10T09:00:00Z' },
      { from: caller, to: tenant.numbers[0], direction: 'inbound', at: '2026-11-11T09:00:00Z' },
      { to: caller, status: 'failed', at: '2026-11-12T09:00:00Z' },
      { at: '2026-11-12T10:00:00Z' },
    ]);
    const ids = async (query: Record<string, string>) =>
      (await list(tenant, query)).body.messages.map((message: { id: string }) => message.id);

    expect(await ids({ phone_number: caller })).toEqual([failedToCaller, fromCaller, toCaller]);
    expect(await ids({ phone_number: caller, status: 'failed' })).toEqual([failedToCaller]);
    expect(await ids({ direction: 'inbound' })).toEqual([fromCaller]);
    expect(await ids({ since: '2026-11-11', until: '2026-11-12T09:30:00Z' })).toEqual([failedToCaller, fromCaller]);
    expect(await ids({ since: '2026-11-12T10:00:00Z' })).toEqual([other]);
    // Numbers are normalized like everywhere else.
    const national = `(${caller.slice(2, 5)}) ${caller.slice(5, 8)}-${caller.slice(8)}`;
    expect(await ids({ phone_number: national, direction: 'outbound' })).toEqual([failedToCaller, toCaller]);
  });

  it("never shows tenant B's messages to tenant A", async () => {
    const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const shared = uniquePhone();
    const [aMessage] = await seed(a, [{ to: shared, at: '2026-11-20T10:00:00Z' }]);
    const [bMessage] = await seed(b, [{ to: shared, at: '2026-11-20T11:00:00Z' }]);

    const listed = await list(a, { phone_number: shared });
    expect(listed.body.messages.map((message: { id: string }) => message.id)).toEqual([aMessage]);
    const all = await list(a);
    expect(all.body.messages.map((message: { id: string }) => message.id)).not.toContain(bMessage);

    const readOwn = await request(harness.app)
      .get(`/v1/messages/${aMessage}`)
      .set('authorization', `Bearer ${await harness.token('admin-api', a.customerId)}`);
    expect(readOwn.status).toBe(200);
    expect(readOwn.body.message).toMatchObject({ id: aMessage, to: shared });
    expect(readOwn.body.message).not.toHaveProperty('customer_id');

    const readOther = await request(harness.app)
      .get(`/v1/messages/${bMessage}`)
      .set('authorization', `Bearer ${await harness.token('admin-api', a.customerId)}`);
    expect(readOther.status).toBe(404);
    expect(readOther.body).toEqual({ success: false, error: `Message ${bMessage} not found`, code: 'NOT_FOUND' });

    const foreignQuery = await list(a, { customer_id: b.customerId });
    expect(foreignQuery.status).toBe(403);
    expect(foreignQuery.body).toEqual({ success: false, error: 'customer_id does not match the authenticated tenant', code: 'FORBIDDEN' });
  });

  it.each([
    [{ limit: 0 }, 'query.limit', 'limit must be an integer between 1 and 100'],
    [{ limit: 'ten' }, 'query.limit', 'limit must be an integer between 1 and 100'],
    [
      { status: 'lost' },
      'query.status',
      "Invalid enum value. Expected 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received', received 'lost'",
    ],
    [
      { since: 'yesterday' },
      'query.since',
      'since must be an ISO 8601 date or date-time with offset, e.g. 2026-11-29 or 2026-11-29T10:00:00Z',
    ],
    [{ since: '2026-11-02', until: '2026-11-01' }, 'query.since', 'since must be before until'],
    [{ phone_number: '123' }, 'query.phone_number', '"123" is not a valid phone number'],
    [{ cursor: 'garbage' }, 'query.cursor', 'cursor is not a next_cursor this API returned'],
  ])('answers 400 for %j naming %s', async (query, path, message) => {
    const tenant = await createSmsTenant(harness);
    const response = await list(tenant, query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: `Invalid ${path}: ${message}`,
      code: 'VALIDATION_FAILED',
      details: [{ path, message }],
    });
  });

  it('answers 400 for a malformed message id and 403 to the gateway', async () => {
    const tenant = await createSmsTenant(harness);
    const badId = await request(harness.app)
      .get('/v1/messages/42')
      .set('authorization', `Bearer ${await harness.token('admin-api', tenant.customerId)}`);
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([{ path: 'params.id', message: 'id must be a UUID' }]);
    const fromGateway = await request(harness.app)
      .get('/v1/messages')
      .set('authorization', `Bearer ${await harness.token('gateway', tenant.customerId)}`);
    expect(fromGateway.status).toBe(403);
  });
});
