import type { Db } from '@neurosphere/db';

/** What a tenant write takes: the tenant, explicitly, and who acts (for its audit row). */
export interface TenantCommand {
  db: Db;
  customerId: number;
  /** admin:<id> or api_key:<id>, for the audit row. */
  actor: string;
}
