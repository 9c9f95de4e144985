import { Prisma, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { BusinessHoursSettings, PutBusinessHoursRequest } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { toBusinessHoursSettings } from './business-hours-view';

export interface PutBusinessHoursOptions {
  db: Db;
  customerId: number;
  /** Audit actor: admin:<id> or api_key:<id>. */
  actor: string;
  /** Validated by putBusinessHoursRequestSchema. */
  hours: PutBusinessHoursRequest;
}

/**
 * Replaces the tenant's hours settings as one (they are read together by every call), and records
 * the old and new values in the tenant audit log in the same transaction.
 */
export async function putBusinessHours(options: PutBusinessHoursOptions): Promise<BusinessHoursSettings> {
  const { customerId, hours } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const before = await tx.customer.findUnique({ where: { id: customerId } });
    if (!before) throw new AppError('NOT_FOUND', 'Tenant not found');
    const after = await tx.customer.update({
      where: { id: customerId },
      data: {
        timeZone: hours.time_zone,
        // No hours: SQL NULL (always open), not a JSON null.
        businessHours: hours.business_hours ?? Prisma.DbNull,
        afterHoursMode: hours.after_hours_mode,
        afterHoursGreeting: hours.after_hours_greeting,
        transferSchedule: hours.transfer_schedule,
      },
    });
    const { updated_at: _before, ...from } = toBusinessHoursSettings(before);
    const { updated_at: _after, ...to } = toBusinessHoursSettings(after);
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'hours.update', target: `customer:${customerId}`, details: { from, to } },
    });
    return toBusinessHoursSettings(after);
  });
}
