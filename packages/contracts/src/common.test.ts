import { customerIdSchema, e164PhoneSchema, normalizePhone } from './common';

describe('e164PhoneSchema', () => {
  it.each([
    ['+12125550123', '+12125550123'],
    ['(212) 555-0123', '+12125550123'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalizes %s to %s', (raw, expected) => {
    expect(e164PhoneSchema.parse(raw)).toBe(expected);
  });

  it.each(['', 'hello', '+1555', '123', '+15550100123'])('rejects %p with a message naming the value', (raw) => {
    const result = e164PhoneSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(normalizePhone(raw)).toBeNull();
  });
});

describe('customerIdSchema', () => {
  it('accepts numeric strings from query strings', () => {
    expect(customerIdSchema.parse('42')).toBe(42);
  });
  it.each(['0', '-1', '1.5', 'abc'])('rejects %p', (raw) => {
    expect(customerIdSchema.safeParse(raw).success).toBe(false);
  });
});
