import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { countCallsPerDay } from '../src/domain/calls/count-calls-per-day';
import { bearer, createAdmin, startHarness } from './harness';

describe('calls per day (the console home page chart)', () => {
  const harness = useHarness(startHarness);
  let customerId: number;
  let otherCustomerId: number;
  let asViewer: string;

  async function seedCalls(tenant: number, calls: { startedAt: string; durationSeconds: number }[]) {
    await withTenant(harness.db, tenant, (tx) =>
      tx.call.createMany({
        data: calls.map((call) => ({
          customerId: tenant,
          callSid: uniqueCallSid(),
          fromNumber: uniquePhone(),
          toNumber: uniquePhone(),
          status: 'completed',
          startedAt: new Date(call.startedAt),
          durationSeconds: call.durationSeconds,
        })),
      }),
    );
  }

  beforeAll(async () => {
    const [tenant, otherTenant] = await Promise.all(
      [1, 2].map(() => createTestTenant(harness.platformDb, { timeZone: 'America/New_York' })),
    );
    customerId = tenant?.customerId ?? 0;
    otherCustomerId = otherTenant?.customerId ?? 0;
    await seedCalls(customerId, [
      // 23:30 on 9 March in New York, 10 March in UTC: counts on the 9th.
      { startedAt: '2020-03-10T03:30:00Z', durationSeconds: 60 },
      { startedAt: '2020-03-10T14:00:00Z', durationSeconds: 120 },
      { startedAt: '2020-03-10T14:30:00Z', durationSeconds: 30 },
      // Before the period asked for.
      { startedAt: '2020-03-07T12:00:00Z', durationSeconds: 600 },
      // Two days before the real now: inside any period of the last 14 days.
      { startedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), durationSeconds: 45 },
    ]);
    await seedCalls(otherCustomerId, [{ startedAt: '2020-03-10T14:00:00Z', durationSeconds: 999 }]);
    asViewer = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'viewer' }] }));
  });

  it("counts each day from the tenant's midnight, every day present, only the tenant's calls", async () => {
    // 8 March 2020 is the day New York moved its clocks (a 23-hour day).
    const stats = await countCallsPerDay({ db: harness.db, customerId, days: 3, now: new Date('2020-03-10T15:00:00Z') });
    expect(stats).toEqual({
      timeZone: 'America/New_York',
      days: [
        { date: '2020-03-08', calls: 0, duration_seconds: 0 },
        { date: '2020-03-09', calls: 1, duration_seconds: 60 },
        { date: '2020-03-10', calls: 2, duration_seconds: 150 },
      ],
    });
  });

  it('answers the last 14 days by default, today last, for a viewer', async () => {
    const response = await request(harness.app).get(`/v1/tenants/${customerId}/call-stats/daily`).set('authorization', asViewer);
    expect(response.status).toBe(200);
    expect(response.body.time_zone).toBe('America/New_York');
    expect(response.body.days).toHaveLength(14);
    const days = response.body.days as { date: string; calls: number; duration_seconds: number }[];
    // Consecutive days, oldest first.
    for (const [index, day] of days.slice(1).entries()) {
      expect(Date.parse(`${day.date}T00:00:00Z`) - Date.parse(`${days[index]?.date}T00:00:00Z`)).toBe(86_400_000);
    }
    expect(days.reduce((sum, day) => sum + day.calls, 0)).toBe(1);
    expect(days.reduce((sum, day) => sum + day.duration_seconds, 0)).toBe(45);
  });

  it('refuses a period out of range with a message naming days, and hides another tenant', async () => {
    const tooLong = await request(harness.app).get(`/v1/tenants/${customerId}/call-stats/daily?days=93`).set('authorization', asViewer);
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('days must be an integer between 1 and 92');
    const other = await request(harness.app).get(`/v1/tenants/${otherCustomerId}/call-stats/daily`).set('authorization', asViewer);
    expect(other.status).toBe(404);
  });
});
