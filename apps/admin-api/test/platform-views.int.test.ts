import { readFile } from 'node:fs/promises';
import { Prisma, withPlatform, withTenant } from '@neurosphere/db';
import { uniqueCallSid, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, onboardTestTenant, platformRead, startPlatformHarness } from './harness';
import type { TestAdmin } from './harness';

// What platform admins look at (the platform audit log, tenants' health, usage across tenants) and
// the end of a tenant (offboarding, with a dry run).

const harness = useHarness(startPlatformHarness);
let admin: TestAdmin;
let asPlatform: string;

beforeAll(async () => {
  admin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
  asPlatform = await bearer(harness.tokens, admin);
});

describe('the platform audit log', () => {
  it('filters by admin, tenant, action (or prefix) and time', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const customerId = onboarded.tenant.customer_id;
    const since = new Date(Date.now() - 60_000).toISOString();
    const list = (query: string) => request(harness.app).get(`/v1/platform/audit-log?${query}`).set('authorization', asPlatform);

    const byTenant = await list(`customer_id=${customerId}&action=tenant.number.*&from=${since}`);
    expect(byTenant.status).toBe(200);
    const onboard = await list(`admin=${admin.principal.id}&action=tenant.onboard&from=${since}&limit=100`);
    expect(
      onboard.body.entries.some((entry: { details: { business_name?: string } }) => entry.details.business_name?.startsWith('Test Agency')),
    ).toBe(true);
    for (const entry of onboard.body.entries)
      expect(entry).toMatchObject({ actor: `admin:${admin.principal.id}`, action: 'tenant.onboard' });

    const upToNow = await list(`to=${since}&action=tenant.onboard&admin=${admin.principal.id}`);
    expect(upToNow.body.entries).toEqual([]);
    const page = await list(`admin=${admin.principal.id}&limit=1`);
    expect(page.body.entries).toHaveLength(1);
    const next = await list(`admin=${admin.principal.id}&limit=1&cursor=${page.body.next_cursor as string}`);
    expect(next.body.entries[0].id).not.toBe(page.body.entries[0].id);
  });
});

describe('tenants with their health', () => {
  it('counts calls, failures and fallback answers of the last 24 h, the last call, the backlog and whether webhooks point here', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const customerId = onboarded.tenant.customer_id;
    const now = Date.now();
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.calls', customerId }, async (tx) => {
      const call = (hoursAgo: number, extra: Partial<Prisma.CallUncheckedCreateInput> = {}) =>
        tx.call.create({
          data: {
            customerId,
            callSid: uniqueCallSid(),
            fromNumber: '+12125550123',
            toNumber: onboarded.number.phone_number,
            startedAt: new Date(now - hoursAgo * 3600_000),
            ...extra,
          },
        });
      await call(30);
      await call(2, { outcome: 'failed', endedAt: new Date(now - 2 * 3600_000), transcriptSubmittedAt: new Date() });
      const last = await call(1, { endedAt: new Date(now - 3600_000) });
      await tx.callSummary.create({ data: { customerId, callSid: last.callSid, userId: '+12125550123', summary: '', status: 'pending' } });
      // Two fallback answers today, one from two days ago (not counted).
      await tx.fallbackAnswer.createMany({
        data: [
          { customerId, callSid: last.callSid, reason: 'model_unavailable', occurredAt: new Date(now - 3600_000) },
          { customerId, callSid: last.callSid, reason: 'turn_budget_exceeded', occurredAt: new Date(now - 3000_000) },
          { customerId, callSid: last.callSid, reason: 'model_unavailable', occurredAt: new Date(now - 48 * 3600_000) },
        ],
      });
    });
    const page = await request(harness.app).get('/v1/platform/health/tenants?limit=100').set('authorization', asPlatform);
    expect(page.status).toBe(200);
    let found = page.body.tenants.find((tenant: { customer_id: number }) => tenant.customer_id === customerId);
    for (let cursor = page.body.next_cursor as string | null; !found && cursor;) {
      const more = await request(harness.app)
        .get(`/v1/platform/health/tenants?limit=100&cursor=${cursor}`)
        .set('authorization', asPlatform);
      found = more.body.tenants.find((tenant: { customer_id: number }) => tenant.customer_id === customerId);
      cursor = more.body.next_cursor;
    }
    expect(found).toEqual({
      customer_id: customerId,
      business_name: expect.stringMatching(/^Test Agency/) as unknown,
      status: 'active',
      calls_24h: 2,
      failed_calls_24h: 1,
      fallback_answers_24h: 2,
      last_call_at: new Date(now - 3600_000).toISOString(),
      queue_backlog: { transcripts_unsubmitted: 1, summaries_pending: 1 },
      numbers: [{ phone_number: onboarded.number.phone_number, webhooks_point_here: true }],
    });
  });
});

describe('usage across tenants', () => {
  it('sums every meter per tenant for a period, as JSON and as CSV', async () => {
    const a = await onboardTestTenant(harness, asPlatform, { business_name: `=Formula Agency ${Date.now()}` });
    const b = await onboardTestTenant(harness, asPlatform);
    const inPeriod = new Date('2026-03-10T12:00:00Z');
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.usage' }, (tx) =>
      tx.usageRecord.createMany({
        data: [
          { customerId: a.tenant.customer_id, kind: 'sms_segments_out', quantity: 2, occurredAt: inPeriod },
          { customerId: a.tenant.customer_id, kind: 'sms_segments_out', quantity: 3, occurredAt: inPeriod },
          { customerId: a.tenant.customer_id, kind: 'summary_tokens', quantity: 120, occurredAt: inPeriod },
          { customerId: b.tenant.customer_id, kind: 'call_minutes', quantity: new Prisma.Decimal('1.5'), occurredAt: inPeriod },
          { customerId: b.tenant.customer_id, kind: 'call_minutes', quantity: 9, occurredAt: new Date('2026-04-01T00:00:00Z') },
        ],
      }),
    );
    const query = `from=2026-03-01&to=2026-04-01`;
    const json = await request(harness.app).get(`/v1/platform/usage?${query}`).set('authorization', asPlatform);
    expect(json.status).toBe(200);
    const mine = json.body.usage.filter((row: { customer_id: number }) =>
      [a.tenant.customer_id, b.tenant.customer_id].includes(row.customer_id),
    );
    expect(mine).toEqual([
      {
        customer_id: a.tenant.customer_id,
        business_name: expect.stringMatching(/^=Formula/) as unknown,
        kind: 'sms_segments_out',
        quantity: '5',
        records: 2,
      },
      { customer_id: a.tenant.customer_id, business_name: expect.any(String), kind: 'summary_tokens', quantity: '120', records: 1 },
      { customer_id: b.tenant.customer_id, business_name: expect.any(String), kind: 'call_minutes', quantity: '1.5', records: 1 },
    ]);

    const csv = await request(harness.app)
      .get(`/v1/platform/usage/export?${query}&customer_id=${a.tenant.customer_id}`)
      .set('authorization', asPlatform);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="usage-2026-03-01-2026-04-01.csv"');
    // A business name a spreadsheet would run as a formula stays text.
    expect(csv.text.split('\r\n')).toEqual([
      'customer_id,business_name,kind,quantity,records',
      expect.stringMatching(new RegExp(`^${a.tenant.customer_id},'=Formula Agency \\d+,sms_segments_out,5,2$`)),
      expect.stringMatching(new RegExp(`^${a.tenant.customer_id},'=Formula Agency \\d+,summary_tokens,120,1$`)),
      '',
    ]);
  });
});

describe('offboarding', () => {
  it('shows what would happen on a dry run, changing nothing', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const customerId = onboarded.tenant.customer_id;
    const response = await request(harness.app)
      .post(`/v1/platform/tenants/${customerId}/offboard`)
      .set('authorization', asPlatform)
      .send({ dry_run: true });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      dry_run: true,
      archive_path: null,
      rows: expect.objectContaining({ customers: 1, phone_numbers: 1, tenant_credentials: 1, tenant_invitations: 1 }) as unknown,
    });
    expect(response.body.steps.map((step: { step: string; status: string }) => [step.step, step.status])).toEqual([
      ['export', 'planned'],
      ['release_numbers', 'planned'],
      ['close_subaccount', 'planned'],
      ['erase', 'planned'],
    ]);
    expect(harness.twilio.account(onboarded.twilio_account.account_sid)?.status).toBe('active');
    expect(await platformRead(harness.platformDb, (tx) => tx.customer.count({ where: { id: customerId } }))).toBe(1);
  });

  it('exports every row as JSON lines, releases the numbers, closes the sub-account and erases the tenant, each step audited', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const customerId = onboarded.tenant.customer_id;
    const businessName = (await platformRead(harness.platformDb, (tx) => tx.customer.findUniqueOrThrow({ where: { id: customerId } })))
      .businessName;
    // A webhook endpoint keeps its signing secrets readable (to sign with): they stay out of the archive too.
    const webhookSecrets = [`whsec_${uniqueCallSid()}`, `whsec_${uniqueCallSid()}`];
    await withTenant(harness.db, customerId, (tx) =>
      tx.webhookEndpoint.create({
        data: {
          customerId,
          url: 'https://crm.example.test/hooks',
          events: ['call.started'],
          secret: webhookSecrets[0]!,
          previousSecret: webhookSecrets[1]!,
          previousSecretExpiresAt: new Date(Date.now() + 60_000),
          createdBy: 'test',
        },
      }),
    );
    const refused = await request(harness.app)
      .post(`/v1/platform/tenants/${customerId}/offboard`)
      .set('authorization', asPlatform)
      .send({ dry_run: false, confirm_business_name: 'no' });
    expect(refused.status).toBe(400);

    const response = await request(harness.app)
      .post(`/v1/platform/tenants/${customerId}/offboard`)
      .set('authorization', asPlatform)
      .send({ dry_run: false, confirm_business_name: businessName });
    expect(response.status).toBe(200);
    expect(response.body.steps.map((step: { status: string }) => step.status)).toEqual(['done', 'done', 'done', 'done']);

    const archive = await readFile(response.body.archive_path as string, 'utf8');
    for (const value of webhookSecrets) expect(archive).not.toContain(value);
    const lines = archive
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ kind: 'archive', customer_id: customerId });
    expect(lines.at(-1)).toMatchObject({
      kind: 'end',
      rows: expect.objectContaining({ customers: 1, phone_numbers: 1, tenant_credentials: 1 }) as unknown,
    });
    const tables = new Set(lines.flatMap((line) => (typeof line.table === 'string' ? [line.table] : [])));
    expect([...tables]).toEqual(
      expect.arrayContaining(['customers', 'phone_numbers', 'tenant_credentials', 'tenant_invitations', 'audit_log']),
    );
    const credential = lines.find((line) => line.table === 'tenant_credentials')!.row as Record<string, unknown>;
    expect(Object.keys(credential).filter((column) => column.startsWith('secret_'))).toEqual([]);
    const webhook = lines.find((line) => line.table === 'webhook_endpoints')!.row as Record<string, unknown>;
    expect(webhook).toMatchObject({ url: 'https://crm.example.test/hooks', previous_secret_expires_at: expect.any(String) as unknown });
    expect(Object.keys(webhook).filter((column) => column.includes('secret') && !column.endsWith('_at'))).toEqual([]);

    expect(harness.twilio.incomingNumbers().some((number) => number.sid === onboarded.number.twilio_sid)).toBe(false);
    expect(harness.twilio.account(onboarded.twilio_account.account_sid)?.status).toBe('closed');
    const left = await platformRead(harness.platformDb, async (tx) => ({
      customer: await tx.customer.count({ where: { id: customerId } }),
      numbers: await tx.phoneNumber.count({ where: { customerId } }),
      audit: await tx.auditLog.count({ where: { customerId } }),
      trail: (
        await tx.platformAuditLog.findMany({
          where: { customerId, action: { startsWith: 'tenant.offboard' } },
          orderBy: { createdAt: 'asc' },
        })
      ).map((row) => row.action),
    }));
    expect(left).toEqual({
      customer: 0,
      numbers: 0,
      audit: 0,
      // Two plans: the refused attempt read the tenant too (reads are audited as well).
      trail: [
        'tenant.offboard.plan',
        'tenant.offboard.plan',
        'tenant.offboard.suspend',
        'tenant.offboard.export',
        'tenant.offboard.close_subaccount',
        'tenant.offboard.erase',
        'tenant.offboard.erase_tenant',
      ],
    });
  });
});
