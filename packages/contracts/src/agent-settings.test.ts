import { businessHoursSchema, isTimeZone, sayVoiceFor } from './agent-settings';
import { callerNumberOf } from './caller-id';

describe('callerNumberOf', () => {
  it.each(['Anonymous', 'anonymous', 'Restricted', 'Unavailable', '', '+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253'])(
    'treats %p as a withheld caller id',
    (from) => {
      expect(callerNumberOf(from)).toBeNull();
    },
  );

  it('normalizes a real number', () => {
    expect(callerNumberOf('(212) 555-0123')).toBe('+12125550123');
    expect(callerNumberOf('+44 20 7946 0958')).toBe('+442079460958');
  });
});

describe('agent settings shapes', () => {
  it('knows IANA time zones', () => {
    expect(isTimeZone('America/Chicago')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it("picks the neural <Say> voice of the tenant's language unless it chose one", () => {
    expect(sayVoiceFor('en-US')).toBe('Polly.Joanna-Neural');
    expect(sayVoiceFor('es-MX')).toBe('Polly.Mia-Neural');
    expect(sayVoiceFor('es-MX', 'Google.es-US-Neural2-A')).toBe('Google.es-US-Neural2-A');
    expect(sayVoiceFor('sw-KE')).toBeUndefined();
  });

  it('refuses a holiday that is not a real date', () => {
    const parsed = businessHoursSchema.safeParse({ weekly: {}, holidays: ['2026-02-30', '2026-13-01', '2028-02-29'] });
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['holidays.0', 'is not a real date'],
      ['holidays.1', 'is not a real date'],
    ]);
  });

  it('refuses an opening that ends before it starts, once, naming where', () => {
    const parsed = businessHoursSchema.safeParse({
      weekly: {
        tue: [
          { open: '18:00', close: '08:00' },
          { open: '7am', close: '09:00' },
        ],
      },
    });
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['weekly.tue.0.close', 'open must be before close (an opening cannot cross midnight: split it into two days)'],
      ['weekly.tue.1.open', 'must be a time like 09:00 (24-hour clock, 00:00 to 24:00)'],
    ]);
    expect(businessHoursSchema.parse({ weekly: { mon: [{ open: '00:00', close: '24:00' }] } })).toEqual({
      weekly: { mon: [{ open: '00:00', close: '24:00' }] },
      holidays: [],
    });
  });
});
