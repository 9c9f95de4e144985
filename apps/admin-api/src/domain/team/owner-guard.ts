import { AppError } from '@neurosphere/http';
import type { TenantTx } from '@neurosphere/db';

/**
 * Serializes the team changes of one tenant (a row lock on its customers row, held until the
 * transaction ends), so two owners demoting each other at the same moment cannot both succeed and
 * leave the team without an owner.
 */
export async function lockTeam(tx: TenantTx, customerId: number): Promise<void> {
  await tx.$queryRaw`SELECT id FROM customers WHERE id = ${customerId} FOR UPDATE`;
}

/** Refuses (409) to take the owner role from the last owner of the team. */
export async function assertNotLastOwner(
  tx: TenantTx,
  options: { customerId: number; email: string; change: 'removed' | 'demoted' },
): Promise<void> {
  const owners = await tx.membership.count({ where: { customerId: options.customerId, role: 'owner' } });
  if (owners <= 1) {
    const verb = options.change === 'removed' ? 'removed' : 'demoted';
    throw new AppError(
      'CONFLICT',
      `${options.email} is the last owner of this team and cannot be ${verb}: make another member owner first`,
    );
  }
}
