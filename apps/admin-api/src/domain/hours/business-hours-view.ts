import { businessHoursSchema, transferScheduleSchema } from '@neurosphere/contracts';
import type { BusinessHoursSettings } from '@neurosphere/contracts';
import type { Customer } from '@neurosphere/db';

/** The hours area of a customers row, as the API shows it (stored JSON read back through its schema). */
export function toBusinessHoursSettings(customer: Customer): BusinessHoursSettings {
  const hours = customer.businessHours === null ? null : businessHoursSchema.safeParse(customer.businessHours);
  const schedule = transferScheduleSchema.safeParse(customer.transferSchedule);
  return {
    customer_id: customer.id,
    time_zone: customer.timeZone,
    business_hours: hours?.success ? hours.data : null,
    after_hours_mode: customer.afterHoursMode,
    after_hours_greeting: customer.afterHoursGreeting,
    transfer_schedule: schedule.success ? schedule.data : [],
    updated_at: customer.updatedAt.toISOString(),
  };
}
