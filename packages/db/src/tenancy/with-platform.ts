import type { Db, TenantTx } from '../client/create-db';
import type { Prisma } from '../generated/prisma/client';
import type { TransactionOptions } from './with-tenant';

export const PLATFORM_ROLE = 'neurosphere_platform';

export interface PlatformAuditEntry {
  /** Who acts, e.g. "admin:<admin user id>", "seed", "legacy-import". */
  actor: string;
  /** What is done, e.g. "tenant.create", "tenant.suspend". */
  action: string;
  /** Why; required by policy for support access to tenant data. */
  reason?: string;
  /** The tenant concerned, when there is one. */
  customerId?: number;
  details?: Prisma.InputJsonValue;
}

export class PlatformContextError extends Error {
  override readonly name = 'PlatformContextError';
}

/**
 * The one explicit cross-tenant path. Runs `work` in an interactive transaction on the platform
 * client (role neurosphere_platform, which RLS lets see every tenant) and writes a
 * platform_audit_log row in the same transaction, so the audit row and the work commit or roll
 * back together. Refuses a client connected as any other role: the app role would silently see
 * nothing, and the owner would bypass the audit's purpose.
 */
export async function withPlatform<T>(
  platformDb: Db,
  entry: PlatformAuditEntry,
  work: (tx: TenantTx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (entry.actor.trim() === '' || entry.action.trim() === '') {
    throw new PlatformContextError('withPlatform requires a non-empty actor and action');
  }
  if (entry.customerId !== undefined && (!Number.isSafeInteger(entry.customerId) || entry.customerId <= 0)) {
    throw new PlatformContextError(`withPlatform customerId must be a positive integer, got ${String(entry.customerId)}`);
  }
  return platformDb.$transaction(async (tx) => {
    const [session] = await tx.$queryRaw<{ role: string }[]>`select current_user::text as role`;
    if (session?.role !== PLATFORM_ROLE) {
      throw new PlatformContextError(
        `withPlatform needs a client connected as ${PLATFORM_ROLE} (DATABASE_PLATFORM_URL), not ${session?.role ?? 'unknown'}`,
      );
    }
    await tx.platformAuditLog.create({
      data: {
        actor: entry.actor,
        action: entry.action,
        reason: entry.reason ?? null,
        customerId: entry.customerId ?? null,
        details: entry.details ?? {},
      },
    });
    return work(tx);
  }, options);
}
