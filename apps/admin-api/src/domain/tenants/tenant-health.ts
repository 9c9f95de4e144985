import type { z } from 'zod';
import type { tenantHealthSchema } from '@neurosphere/contracts';
import { Prisma, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { adminActor } from '../shared/actor';
import { decodeCursor, toPage } from '../shared/cursor';
import { z as zod } from 'zod';

type TenantHealth = z.infer<typeof tenantHealthSchema>;

const cursorSchema = zod.tuple([zod.number().int().positive()]);

interface HealthRow {
  customer_id: number;
  calls_24h: bigint;
  failed_calls_24h: bigint;
  fallback_answers_24h: bigint;
  last_call_at: Date | null;
  transcripts_unsubmitted: bigint;
  summaries_pending: bigint;
}

/**
 * Tenants with their health, one page at a time: calls, failed calls and fallback answers (what
 * the orchestrator records in fallback_answers) of the last 24 h, the
 * last call, work still queued (ended calls whose transcript has not reached memory, summaries not
 * written yet) and whether each number's webhooks point at this platform's PUBLIC_BASE_URL. One
 * grouped query per table for the whole page (indexes lead with customer_id).
 */
export async function listTenantHealth(options: {
  platformDb: Db;
  actorId: string;
  publicBaseUrl: string | undefined;
  status?: 'active' | 'suspended';
  cursor?: string;
  limit: number;
}): Promise<{ tenants: TenantHealth[]; nextCursor: string | null }> {
  const afterId = options.cursor === undefined ? undefined : decodeCursor(options.cursor, cursorSchema)[0];
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  const { customers, health } = await withPlatform(
    options.platformDb,
    { actor: adminActor(options.actorId), action: 'tenant.health' },
    async (tx) => {
      const customers = await tx.customer.findMany({
        where: { ...(options.status ? { status: options.status } : {}), ...(afterId ? { id: { gt: afterId } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit + 1,
        select: {
          id: true,
          businessName: true,
          status: true,
          phoneNumbers: { select: { e164: true, webhooksBaseUrl: true }, orderBy: { e164: 'asc' } },
        },
      });
      const ids = customers.slice(0, options.limit).map((customer) => customer.id);
      const health =
        ids.length === 0
          ? []
          : await tx.$queryRaw<HealthRow[]>`
            SELECT c.id AS customer_id,
                   (SELECT count(*) FROM calls k WHERE k.customer_id = c.id AND k.started_at >= ${since}) AS calls_24h,
                   (SELECT count(*) FROM calls k WHERE k.customer_id = c.id AND k.started_at >= ${since} AND k.outcome = 'failed') AS failed_calls_24h,
                   (SELECT count(*) FROM fallback_answers f WHERE f.customer_id = c.id AND f.occurred_at >= ${since}) AS fallback_answers_24h,
                   (SELECT max(k.started_at) FROM calls k WHERE k.customer_id = c.id) AS last_call_at,
                   (SELECT count(*) FROM calls k WHERE k.customer_id = c.id AND k.ended_at IS NOT NULL AND k.transcript_submitted_at IS NULL) AS transcripts_unsubmitted,
                   (SELECT count(*) FROM call_summaries s WHERE s.customer_id = c.id AND s.status = 'pending') AS summaries_pending
              FROM customers c
             WHERE c.id IN (${Prisma.join(ids)})`;
      return { customers, health };
    },
  );
  const byId = new Map(health.map((row) => [row.customer_id, row]));
  const { items, nextCursor } = toPage(customers, options.limit, (customer) => [customer.id]);
  return {
    tenants: items.map((customer) => {
      const row = byId.get(customer.id);
      return {
        customer_id: customer.id,
        business_name: customer.businessName,
        status: customer.status,
        calls_24h: Number(row?.calls_24h ?? 0),
        failed_calls_24h: Number(row?.failed_calls_24h ?? 0),
        fallback_answers_24h: Number(row?.fallback_answers_24h ?? 0),
        last_call_at: row?.last_call_at?.toISOString() ?? null,
        queue_backlog: {
          transcripts_unsubmitted: Number(row?.transcripts_unsubmitted ?? 0),
          summaries_pending: Number(row?.summaries_pending ?? 0),
        },
        numbers: customer.phoneNumbers.map((number) => ({
          phone_number: number.e164,
          webhooks_point_here: options.publicBaseUrl !== undefined && number.webhooksBaseUrl === options.publicBaseUrl,
        })),
      };
    }),
    nextCursor,
  };
}
