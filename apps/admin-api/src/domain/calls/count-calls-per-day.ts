import type { CallDay } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

export interface CountCallsPerDayOptions {
  db: Db;
  customerId: number;
  /** How many days, today included. */
  days: number;
  /** What "today" is (the request's time; tests pass a fixed one). */
  now: Date;
}

/**
 * Calls per day over the last `days` days in the tenant's time zone, every day present (0 when
 * there were none): the day boundaries are the tenant's midnights, so a call at 23:30 in New York
 * counts on that day and not on the next UTC one. Counted in the database, one row per day.
 */
export async function countCallsPerDay(options: CountCallsPerDayOptions): Promise<{ timeZone: string; days: CallDay[] }> {
  const { customerId, days, now } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { timeZone: true } });
    if (!customer) throw new AppError('NOT_FOUND', 'Tenant not found');
    const timeZone = customer.timeZone;
    const rows = await tx.$queryRaw<{ date: string; calls: number; duration_seconds: number }[]>`
      WITH local_days AS (
        SELECT generate_series(
          (${now}::timestamptz AT TIME ZONE ${timeZone})::date - ${days - 1}::int,
          (${now}::timestamptz AT TIME ZONE ${timeZone})::date,
          interval '1 day'
        )::date AS day
      )
      SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
             count(c.id)::int AS calls,
             coalesce(sum(c.duration_seconds), 0)::int AS duration_seconds
        FROM local_days d
        LEFT JOIN calls c
          ON c.customer_id = ${customerId}
         AND c.started_at >= (d.day::timestamp AT TIME ZONE ${timeZone})
         AND c.started_at < ((d.day + 1)::timestamp AT TIME ZONE ${timeZone})
       GROUP BY d.day
       ORDER BY d.day`;
    return { timeZone, days: rows };
  });
}
