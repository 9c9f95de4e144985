import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { BusinessHoursSettings } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { toBusinessHoursSettings } from './business-hours-view';

/** The tenant's time zone, business hours, after-hours behaviour and transfer schedule. */
export async function getBusinessHours(options: { db: Db; customerId: number }): Promise<BusinessHoursSettings> {
  const customer = await withTenant(options.db, options.customerId, (tx) => tx.customer.findUnique({ where: { id: options.customerId } }));
  if (!customer) throw new AppError('NOT_FOUND', 'Tenant not found');
  return toBusinessHoursSettings(customer);
}
