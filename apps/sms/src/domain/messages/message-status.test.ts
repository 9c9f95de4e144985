import { fromTwilioStatus, statusesBefore } from './message-status';

describe('outbound status order', () => {
  it('lets a status replace only earlier ones', () => {
    expect(statusesBefore('queued')).toEqual([]);
    expect(statusesBefore('sent')).toEqual(['queued', 'sending']);
    expect(statusesBefore('delivered')).toEqual(['queued', 'sending', 'sent']);
    // Final states never replace each other: a late "undelivered" does not undo "delivered".
    expect(statusesBefore('undelivered')).not.toContain('delivered');
    expect(statusesBefore('failed')).not.toContain('undelivered');
  });

  it.each([
    ['queued', 'queued'],
    ['accepted', 'queued'],
    ['sending', 'sending'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'delivered'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['Delivered', 'delivered'],
    ['received', null],
    ['no-such-status', null],
  ])('maps Twilio %s to %p', (twilio, ours) => {
    expect(fromTwilioStatus(twilio)).toBe(ours);
  });
});
