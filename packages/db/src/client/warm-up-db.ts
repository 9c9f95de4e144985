import type { Db } from './create-db';

/**
 * Opens a pooled connection and runs one raw and one model query, so the first request after a
 * deploy does not pay for connecting (TCP, SCRAM) and for the query compiler's first use. Call
 * paths have budgets under a second, and without this the first caller after boot heard the
 * fallback. Resolves false when the database is unreachable: readiness reports that, boot goes on.
 */
export async function warmUpDb(db: Db): Promise<boolean> {
  try {
    await db.$queryRaw`select 1`;
    // A global table the app role may read: exercises the model query path without a tenant.
    await db.industryTemplate.findFirst({ select: { industry: true } });
    return true;
  } catch {
    return false;
  }
}
