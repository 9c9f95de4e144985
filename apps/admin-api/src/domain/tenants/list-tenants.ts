import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { PlatformTenant } from '@neurosphere/contracts';
import { z } from 'zod';
import { adminActor } from '../shared/actor';
import { decodeCursor, toPage } from '../shared/cursor';
import { platformTenantInclude, toPlatformTenant } from './platform-tenant';

export interface ListTenantsOptions {
  platformDb: Db;
  actorId: string;
  status?: 'active' | 'suspended';
  cursor?: string;
  limit: number;
}

const tenantCursorSchema = z.tuple([z.number().int().positive()]);

/** Every tenant (platform view), oldest first, keyset-paginated by id. */
export async function listTenants(options: ListTenantsOptions): Promise<{ tenants: PlatformTenant[]; nextCursor: string | null }> {
  const afterId = options.cursor === undefined ? undefined : decodeCursor(options.cursor, tenantCursorSchema)[0];
  const rows = await withPlatform(
    options.platformDb,
    { actor: adminActor(options.actorId), action: 'tenant.list', details: { status: options.status ?? null } },
    (tx) =>
      tx.customer.findMany({
        where: { ...(options.status ? { status: options.status } : {}), ...(afterId ? { id: { gt: afterId } } : {}) },
        orderBy: { id: 'asc' },
        take: options.limit + 1,
        include: platformTenantInclude,
      }),
  );
  const { items, nextCursor } = toPage(rows, options.limit, (row) => [row.id]);
  return { tenants: items.map(toPlatformTenant), nextCursor };
}
