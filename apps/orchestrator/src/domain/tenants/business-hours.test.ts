import { testTenantSnapshot } from '../../../test/call-fixtures';
import { describeLocalNow, isOpenAt, localClock, nextOpening, transferTargetAt } from './business-hours';

const hours = {
  weekly: { mon: [{ open: '09:00', close: '17:00' }], sat: [{ open: '10:00', close: '14:00' }] },
  holidays: ['2026-12-14'],
};

describe('business hours', () => {
  it("reads the wall clock of the business's time zone, daylight saving included", () => {
    expect(localClock('America/New_York', new Date('2026-07-06T13:30:00Z'))).toEqual({
      weekday: 'mon',
      date: '2026-07-06',
      minutes: 9 * 60 + 30,
    });
    expect(localClock('America/New_York', new Date('2026-12-07T13:30:00Z'))).toEqual({
      weekday: 'mon',
      date: '2026-12-07',
      minutes: 8 * 60 + 30,
    });
    expect(localClock('Asia/Tokyo', new Date('2026-12-06T23:00:00Z'))).toEqual({ weekday: 'mon', date: '2026-12-07', minutes: 8 * 60 });
    expect(describeLocalNow('America/New_York', new Date('2026-12-07T13:30:00Z'))).toBe('Monday, December 7, 2026, 8:30 AM');
  });

  it('is open inside an opening and never on a holiday; without hours, always', () => {
    const at = (iso: string) => isOpenAt(hours, 'America/New_York', new Date(iso));
    expect(at('2026-12-07T14:00:00Z')).toBe(true); // Monday 9:00
    expect(at('2026-12-07T22:00:00Z')).toBe(false); // Monday 17:00
    expect(at('2026-12-08T15:00:00Z')).toBe(false); // Tuesday
    expect(at('2026-12-14T15:00:00Z')).toBe(false); // a holiday Monday
    expect(isOpenAt(null, 'UTC', new Date())).toBe(true);
  });

  it('keeps a day that closes at 24:00 open until local midnight, and a schedule rule likewise', () => {
    const allMonday = { weekly: { mon: [{ open: '00:00', close: '24:00' }] }, holidays: [] };
    const at = (iso: string) => isOpenAt(allMonday, 'Europe/Paris', new Date(iso));
    expect(at('2026-12-06T23:00:00Z')).toBe(true); // Monday 00:00 in Paris
    expect(at('2026-12-07T22:59:00Z')).toBe(true); // Monday 23:59
    expect(at('2026-12-07T23:00:00Z')).toBe(false); // Tuesday 00:00
    const tenant = testTenantSnapshot({
      timeZone: 'Europe/Paris',
      transferNumber: '+12125550150',
      businessHours: null,
      transferSchedule: [{ days: ['mon'], from: '18:00', to: '24:00', number: '+12125550177' }],
    });
    expect(transferTargetAt(tenant, new Date('2026-12-07T22:59:00Z'))).toEqual({ number: '+12125550177' });
    expect(transferTargetAt(tenant, new Date('2026-12-07T23:00:00Z'))).toEqual({ number: '+12125550150' });
  });

  it('says when the business opens next', () => {
    expect(nextOpening(hours, 'America/New_York', new Date('2026-12-07T12:00:00Z'))).toBe('today at 9:00 AM');
    expect(nextOpening(hours, 'America/New_York', new Date('2026-12-08T15:00:00Z'))).toBe('Saturday at 10:00 AM');
    // Sunday: Monday the 14th is a holiday, so Saturday is next.
    expect(nextOpening(hours, 'America/New_York', new Date('2026-12-13T15:00:00Z'))).toBe('Saturday at 10:00 AM');
    expect(nextOpening(hours, 'America/New_York', new Date('2026-12-06T15:00:00Z'))).toBe('tomorrow at 9:00 AM');
  });

  it('counts the days ahead on the local calendar across a daylight-saving change', () => {
    const weekend = { weekly: { sun: [{ open: '10:00', close: '14:00' }], mon: [{ open: '09:00', close: '17:00' }] }, holidays: [] };
    // Saturday 23:30 EST; clocks spring forward at 2:00 on Sunday, a 23-hour day (24 h later is already Monday).
    expect(nextOpening(weekend, 'America/New_York', new Date('2026-03-08T04:30:00Z'))).toBe('tomorrow at 10:00 AM');
    // Sunday 00:30 EDT; clocks fall back at 2:00, a 25-hour day (24 h later is still Sunday).
    const weekdaysOnly = { weekly: { mon: [{ open: '09:00', close: '17:00' }] }, holidays: [] };
    expect(nextOpening(weekdaysOnly, 'America/New_York', new Date('2026-11-01T04:30:00Z'))).toBe('tomorrow at 9:00 AM');
  });

  it('transfers only while open, to the first schedule rule that matches, else the transfer number', () => {
    const tenant = testTenantSnapshot({
      timeZone: 'America/New_York',
      transferNumber: '+12125550150',
      businessHours: hours,
      transferSchedule: [{ days: ['mon'], from: '12:00', to: '17:00', number: '+12125550177' }],
    });
    expect(transferTargetAt(tenant, new Date('2026-12-07T15:00:00Z'))).toEqual({ number: '+12125550150' });
    expect(transferTargetAt(tenant, new Date('2026-12-07T18:00:00Z'))).toEqual({ number: '+12125550177' });
    expect(transferTargetAt(tenant, new Date('2026-12-08T15:00:00Z'))).toEqual({ unavailable: 'closed' });
    expect(transferTargetAt({ ...tenant, businessHours: null, transferNumber: null, transferSchedule: [] }, new Date())).toEqual({
      unavailable: 'no_number',
    });
  });
});
