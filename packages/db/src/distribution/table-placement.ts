/**
 * Where every table goes when the database is distributed by tenant (Citus, docs/architecture.md
 * §7.4). The rule that needs no list: a table with a `customer_id` column is a tenant table,
 * distributed by `customer_id` and co-located with its tenant (`customers`, distributed by `id`).
 * Tables that are shared by all tenants are listed here, each with its placement and why; a table
 * that is neither is an error of the catalog check (src/distribution/read-distribution-plan.ts), so
 * a new table is placed deliberately.
 */

/** The distribution column of every tenant table. */
export const DISTRIBUTION_COLUMN = 'customer_id';

/** The tenant root: one row per tenant, distributed by its own id in the tenants' colocation group. */
export const TENANT_ROOT = { table: 'customers', column: 'id' } as const;

/**
 * - `reference`: a copy on every node, so tenant tables can reference it and join it on their own
 *   node. Small, read often, written rarely (every write goes to every node).
 * - `local`: stays on the coordinator only; nothing distributed may reference it.
 */
export type SharedPlacement = 'reference' | 'local';

export interface SharedTable {
  placement: SharedPlacement;
  why: string;
}

export const SHARED_TABLES: Readonly<Record<string, SharedTable>> = {
  industry_templates: {
    placement: 'reference',
    why: 'industry_template_versions references it; a handful of rows, changed by platform admins only',
  },
  industry_template_versions: {
    placement: 'reference',
    why: 'customers pins a version by foreign key (a distributed table may reference only a reference table); read at every call start and by the worker',
  },
  admin_users: {
    placement: 'reference',
    why: 'memberships references it by foreign key; read by email at login, before any tenant is known',
  },
  admin_sessions: {
    placement: 'reference',
    why: 'references admin_users (a reference table may reference only reference tables); one row per login, read and written by the admin console only, a few times an hour per admin',
  },
  admin_refresh_tokens: {
    placement: 'reference',
    why: 'references admin_sessions; one row per token refresh of an admin session, never on a call path',
  },
  admin_password_resets: {
    placement: 'reference',
    why: 'references admin_users; one row per password-reset mail',
  },
  number_routes: {
    placement: 'reference',
    why: 'lookup_tenant_by_number reads it on every webhook before the tenant is known: a copy on every node answers without asking every shard',
  },
  platform_audit_log: {
    placement: 'local',
    why: 'append-only record of every withPlatform transaction, never referenced nor joined with tenant rows; as a reference table every platform action would be written to every node. Its customer_id is informational and may be null, so it cannot be distributed either',
  },
  onboarding_requests: {
    placement: 'local',
    why: 'one row per onboarding (POST /v1/platform/tenants), read and written by platform admins only, never referenced nor joined with tenant rows; its customer_id is unknown until the tenant exists, so it cannot be distributed',
  },
  _prisma_migrations: {
    placement: 'local',
    why: "the migrator's bookkeeping; migrations run on the coordinator, which passes their DDL on to the shards",
  },
};
