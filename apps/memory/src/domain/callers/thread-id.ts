import { AppError } from '@neurosphere/http';

/**
 * The conversation thread of one caller at one tenant: `customer_{customerId}_user_{digits}`,
 * digits being the caller's E.164 number without the "+". The original system keyed memory by
 * thread; the tenant and the caller are both in it, so a thread id can never point across tenants.
 */
export function threadIdFor(customerId: number, userId: string): string {
  return `customer_${customerId}_user_${userId.replace(/^\+/, '')}`;
}

/** Refuses a thread id that names another tenant or caller than the request does. */
export function assertThreadIdMatches(options: { threadId: string; customerId: number; userId: string }): void {
  const expected = threadIdFor(options.customerId, options.userId);
  if (options.threadId !== expected) {
    throw new AppError('VALIDATION_FAILED', `Invalid body.thread_id: expected "${expected}" for this customer_id and user_id`, {
      details: [{ path: 'body.thread_id', message: `must be "${expected}" (customer_{customer_id}_user_{E.164 digits})` }],
    });
  }
}
