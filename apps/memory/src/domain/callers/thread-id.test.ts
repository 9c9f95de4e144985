import { AppError } from '@neurosphere/http';
import { assertThreadIdMatches, threadIdFor } from './thread-id';

describe('thread ids', () => {
  it('are customer_{customer_id}_user_{E.164 digits}', () => {
    expect(threadIdFor(42, '+12125550123')).toBe('customer_42_user_12125550123');
  });

  it.each([
    ['another tenant', 'customer_43_user_12125550123'],
    ['another caller', 'customer_42_user_12125550124'],
    ['another shape', 'thread-1'],
  ])('refuses a thread id of %s, naming body.thread_id', (_name, threadId) => {
    let caught: unknown;
    try {
      assertThreadIdMatches({ threadId, customerId: 42, userId: '+12125550123' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('VALIDATION_FAILED');
    expect((caught as AppError).details?.[0]?.path).toBe('body.thread_id');
  });
});
