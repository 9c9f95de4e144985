import { normalizePhone } from '@neurosphere/contracts';
import {
  PHONE_AREA_CODES,
  phoneNumberAt,
  phoneSlotOf,
  uniqueAccountSid,
  uniqueCallSid,
  uniqueMessageSid,
  uniquePhone,
  uniqueSuffix,
} from './unique-ids';

describe('uniquePhone', () => {
  it('gives distinct numbers that the contracts accept as they are', () => {
    const numbers = Array.from({ length: 2000 }, () => uniquePhone());
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.filter((number) => normalizePhone(number) !== number)).toEqual([]);
  });

  it('covers only numbers the contracts accept: every area code, exchange and line boundary', () => {
    const perArea = 799 * 10_000;
    const boundaries = [0, 9_999, 354 * 10_000, 354 * 10_000 + 9_999, 355 * 10_000, perArea - 1];
    for (const [area, areaCode] of PHONE_AREA_CODES.entries()) {
      const numbers = boundaries.map((offset) => phoneNumberAt(area * perArea + offset));
      expect(numbers).toEqual([
        `+1${areaCode}2000000`,
        `+1${areaCode}2009999`,
        `+1${areaCode}5540000`,
        `+1${areaCode}5549999`,
        `+1${areaCode}5560000`,
        `+1${areaCode}9999999`,
      ]);
      for (const number of numbers) expect(normalizePhone(number)).toBe(number);
    }
    expect(() => phoneNumberAt(PHONE_AREA_CODES.length * perArea)).toThrow(RangeError);
  });

  it('never uses exchange 555, where the fixed numbers of tests and seed data live', () => {
    const exchanges = new Set<string>();
    for (let index = 0; index < 799 * 10_000; index += 10_000) exchanges.add(phoneNumberAt(index).slice(5, 8));
    expect(exchanges.size).toBe(799);
    expect(exchanges.has('555')).toBe(false);
  });

  it('gives each jest worker its own numbers, and processes outside jest their own', () => {
    const slots = [undefined, '1', '2', '3', '31'].map(phoneSlotOf);
    const all = PHONE_AREA_CODES.length * 799 * 10_000;
    for (const [index, slot] of slots.entries()) {
      expect(slot.first + slot.size).toBeLessThanOrEqual(all);
      for (const other of slots.slice(index + 1))
        expect(slot.first + slot.size <= other.first || other.first + other.size <= slot.first).toBe(true);
    }
  });
});

describe('unique ids', () => {
  it('makes 12-hex-digit suffixes and Twilio-shaped SIDs, all distinct', () => {
    const suffixes = Array.from({ length: 1000 }, () => uniqueSuffix());
    expect(new Set(suffixes).size).toBe(1000);
    for (const suffix of suffixes) expect(suffix).toMatch(/^[0-9a-f]{12}$/);
    expect(uniqueCallSid()).toMatch(/^CA[0-9a-f]{32}$/);
    expect(uniqueMessageSid()).toMatch(/^SM[0-9a-f]{32}$/);
    expect(uniqueAccountSid()).toMatch(/^AC[0-9a-f]{32}$/);
    expect(uniqueCallSid()).not.toBe(uniqueCallSid());
  });
});
