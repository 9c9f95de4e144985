// The set-up the row-level-security test files share (rls*.int.test.ts): a row builder for every
// tenant-owned table, connections as each role, two tenants, and raw-SQL helpers. Everything is
// checked with raw SQL as the roles themselves, so the Prisma client cannot hide a missing policy.
import { randomInt, randomUUID } from 'node:crypto';
import { uniqueAccountSid, uniqueCallSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { Client } from 'pg';
import { createDb } from '../src/client/create-db';
import type { Db } from '../src/client/create-db';
import { createTestAdminUser, createTestTenant, requireTestDatabaseEnv } from '../src/testing';

/**
 * The tenant-owned tables and how to fill each. The list of tenant-owned tables comes from the
 * database (every table with a NOT NULL customer_id column, except the shared tables listed in
 * src/distribution/table-placement.ts) and must equal the tables known here, so a new tenant table
 * without a row builder here (and without RLS in its migration) fails rls.int.test.ts.
 */
export interface TenantContext {
  customerId: number;
  callId: string;
  /** A notification event of the tenant, which its deliveries reference. */
  eventId: string;
}

type Row = Record<string, unknown>;
type RowBuilder = (tenant: TenantContext, variant: number) => Row;

let adminUserIds: string[] = [];
const providers = ['openai', 'elevenlabs', 'twilio'] as const;
/** Numbers routed to each tenant (number_routes) before the tests: a phone number needs its route. */
const routedNumbers = new Map<number, string[]>();

/** A number routed to the tenant, not yet given to any test. */
export function routedNumber(customerId: number): string {
  const e164 = routedNumbers.get(customerId)?.pop();
  if (!e164) throw new Error(`no routed number left for tenant ${customerId}`);
  return e164;
}

export const ROWS: Record<string, RowBuilder> = {
  phone_numbers: (t) => ({ customer_id: t.customerId, e164: routedNumber(t.customerId) }),
  tenant_credentials: (t, variant) => ({
    customer_id: t.customerId,
    provider: providers[variant % providers.length],
    account_identifier: uniqueAccountSid(),
    secret_ciphertext: '\\x0102',
    secret_iv: '\\x03',
    secret_auth_tag: '\\x04',
    key_id: 'k1',
  }),
  memories: (t) => ({ customer_id: t.customerId, user_id: uniquePhone(), content: 'Prefers morning calls' }),
  call_summaries: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    user_id: uniquePhone(),
    summary: 'Asked about renewal',
  }),
  caller_profiles: (t) => ({ customer_id: t.customerId, user_id: uniquePhone(), name: 'Sam' }),
  // The memory read model; its triggers write it, but RLS must hold for any writer.
  caller_contexts: (t) => ({ customer_id: t.customerId, user_id: uniquePhone(), context: { profile: null } }),
  personality_metrics: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    user_id: uniquePhone(),
    scores: { warmth: 70 },
  }),
  personality_averages: (t) => ({
    customer_id: t.customerId,
    user_id: uniquePhone(),
    averages: { warmth: 70 },
    sample_count: 1,
  }),
  calls: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    from_number: uniquePhone(),
    to_number: uniquePhone(),
  }),
  call_turns: (t) => ({
    customer_id: t.customerId,
    call_id: t.callId,
    turn_index: randomInt(0, 2 ** 31 - 1),
    role: 'user',
    text: 'Hello?',
  }),
  call_messages: (t) => ({
    customer_id: t.customerId,
    kind: 'callback',
    caller_number: uniquePhone(),
    message: 'Please call back',
  }),
  sms_messages: (t) => ({
    customer_id: t.customerId,
    direction: 'outbound',
    from_number: uniquePhone(),
    to_number: uniquePhone(),
    body: 'Hi',
    status: 'queued',
    idempotency_key: uniqueSuffix(),
  }),
  sms_opt_outs: (t) => ({ customer_id: t.customerId, phone: uniquePhone(), keyword: 'STOP' }),
  sms_templates: (t) => ({ customer_id: t.customerId, name: `template-${uniqueSuffix()}`, body: 'Hi {{name}}' }),
  memberships: (t, variant) => ({
    customer_id: t.customerId,
    admin_user_id: adminUserIds[variant],
    role: 'viewer',
  }),
  audit_log: (t) => ({ customer_id: t.customerId, actor: 'test', action: 'test.write' }),
  usage_records: (t) => ({ customer_id: t.customerId, kind: 'call_minutes', quantity: 1.25 }),
  tenant_invitations: (t) => ({
    customer_id: t.customerId,
    email: `invitee-${uniqueSuffix()}@test.example`,
    role: 'viewer',
    secret_hash: '\\x01',
    invited_by: 'test',
    expires_at: '2030-01-01T00:00:00Z',
  }),
  tenant_api_keys: (t) => ({
    customer_id: t.customerId,
    name: 'Test key',
    scopes: '{calls:read}',
    secret_hash: '\\x01',
    created_by: 'test',
  }),
  notification_rules: (t) => ({
    customer_id: t.customerId,
    channel: 'sms',
    target: uniquePhone(),
    events: '{message.taken}',
    created_by: 'test',
  }),
  webhook_endpoints: (t) => ({
    customer_id: t.customerId,
    url: 'https://crm.test/hook',
    events: '{call.started}',
    secret: 'whsec_test',
    created_by: 'test',
  }),
  fallback_answers: (t) => ({ customer_id: t.customerId, call_sid: uniqueCallSid(), reason: 'turn_budget_exceeded' }),
  support_sessions: (t) => ({
    customer_id: t.customerId,
    admin_user_id: randomUUID(),
    admin_email: 'support@platform.test',
    reason: 'Ticket 42',
    expires_at: '2030-01-01T00:00:00Z',
  }),
  notification_events: (t) => ({ customer_id: t.customerId, type: 'call.started', subject_id: randomUUID() }),
  notification_deliveries: (t) => ({
    customer_id: t.customerId,
    event_id: t.eventId,
    channel: 'webhook',
    target: 'https://crm.test/hook',
    source_id: randomUUID(),
  }),
};
export const TENANT_TABLES = Object.keys(ROWS).sort();
/**
 * Tenant tables whose rows live only inside the transaction that wrote them: a deferred trigger
 * consumes them at commit (caller_context_refreshes, the memory read model's notes). They get the
 * same policies, checked inside one transaction (rls.int.test.ts) instead of by the per-table suite.
 */
export const TRANSIENT_ROWS: Record<string, RowBuilder> = {
  caller_context_refreshes: (t) => ({ customer_id: t.customerId, user_id: uniquePhone() }),
};
export const TRANSIENT_TABLES = Object.keys(TRANSIENT_ROWS).sort();
/** Append-only for the app role: UPDATE/DELETE are not granted at all. */
export const APPEND_ONLY = new Set(['audit_log']);

// The three roles' own connections and two tenants with a call each, set by useRlsDatabase() for
// the test file that calls it. Test files import these bindings and read them in tests and hooks.
export let owner: Client;
export let platform: Client;
export let app: Client;
export let tenantA: TenantContext;
export let tenantB: TenantContext;
let platformDb: Db;

/** Connects as each role and creates the two tenants before the file's tests; closes it all after them. */
export function useRlsDatabase(): void {
  const env = requireTestDatabaseEnv();
  beforeAll(async () => {
    owner = new Client({ connectionString: env.ownerUrl });
    platform = new Client({ connectionString: env.platformUrl });
    app = new Client({ connectionString: env.appUrl });
    await Promise.all([owner.connect(), platform.connect(), app.connect()]);
    platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
    const [a, b] = await Promise.all([createTestTenant(platformDb), createTestTenant(platformDb)]);
    adminUserIds = (await Promise.all([0, 1, 2].map(() => createTestAdminUser(platformDb)))).map((user) => user.id);
    tenantA = { customerId: a.customerId, callId: '', eventId: '' };
    tenantB = { customerId: b.customerId, callId: '', eventId: '' };
    for (const tenant of [tenantA, tenantB]) {
      tenant.callId = (await insertRow(platform, 'calls', ROWS.calls!(tenant, 0))).id;
      tenant.eventId = (await insertRow(platform, 'notification_events', ROWS.notification_events!(tenant, 0))).id;
    }
    for (const { customerId } of [tenantA, tenantB]) {
      const numbers = Array.from({ length: 8 }, () => uniquePhone());
      await platform.query(`INSERT INTO number_routes (e164, customer_id) SELECT unnest($1::text[]), $2`, [numbers, customerId]);
      routedNumbers.set(customerId, numbers);
    }
  });

  afterAll(async () => {
    await Promise.all([owner.end(), platform.end(), app.end(), platformDb.$disconnect()]);
  });
}

export async function insertRow(client: Client, table: string, row: Row): Promise<{ id: string }> {
  const columns = Object.keys(row).map((column) => client.escapeIdentifier(column));
  const relation = client.escapeIdentifier(table);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ${relation} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM json_populate_record(NULL::${relation}, $1::json)
     RETURNING id::text`,
    [JSON.stringify(row)],
  );
  return rows[0]!;
}

/** Runs `work` as the app role in a transaction with app.customer_id set (or not), then rolls back. */
export async function asTenant<T>(customerId: number | '' | null, work: () => Promise<T>): Promise<T> {
  await app.query('BEGIN');
  try {
    if (customerId !== null) {
      await app.query(`SELECT set_config('app.customer_id', $1, true)`, [String(customerId)]);
    }
    return await work();
  } finally {
    await app.query('ROLLBACK');
  }
}

export async function visibleIds(client: Client, table: string, ids: string[]): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id::text FROM ${client.escapeIdentifier(table)} WHERE id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  );
  return rows.map((row) => row.id);
}

export async function countAll(client: Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${client.escapeIdentifier(table)}`);
  return rows[0]!.n;
}

export const rlsViolation = { code: '42501', message: expect.stringMatching(/row-level security/) as unknown };
export const permissionDenied = { code: '42501', message: expect.stringMatching(/permission denied|must be owner/) as unknown };
