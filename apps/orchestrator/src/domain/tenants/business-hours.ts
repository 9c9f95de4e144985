import { minutesOfDay, weekdays } from '@neurosphere/contracts';
import type { BusinessHours, Weekday } from '@neurosphere/contracts';
import type { TenantSnapshot } from './tenant-snapshot';

/** The wall clock of a time zone at one instant. */
export interface LocalClock {
  weekday: Weekday;
  /** YYYY-MM-DD */
  date: string;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAY_BY_SHORT_NAME: Record<string, Weekday> = {
  Mon: 'mon',
  Tue: 'tue',
  Wed: 'wed',
  Thu: 'thu',
  Fri: 'fri',
  Sat: 'sat',
  Sun: 'sun',
};
const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The local weekday, date and time in `timeZone` (Intl does the time-zone and daylight-saving arithmetic). */
export function localClock(timeZone: string, now: Date): LocalClock {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clockFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  return {
    weekday: WEEKDAY_BY_SHORT_NAME[parts.weekday ?? ''] ?? 'mon',
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Whether the business is open at `now`; without hours it always is. */
export function isOpenAt(hours: BusinessHours | null, timeZone: string, now: Date): boolean {
  if (!hours) return true;
  const clock = localClock(timeZone, now);
  if (hours.holidays.includes(clock.date)) return false;
  return (hours.weekly[clock.weekday] ?? []).some(
    (opening) => minutesOfDay(opening.open) <= clock.minutes && clock.minutes < minutesOfDay(opening.close),
  );
}

/**
 * When the business next opens after a closed `now` (within a week), as "Monday at 9:00 AM"; null
 * when it never does. The days ahead are counted on the local calendar, not in steps of 24 hours:
 * a day with a daylight-saving change is 23 or 25 hours long, and stepping over it would skip a
 * day or see one twice.
 */
export function nextOpening(hours: BusinessHours, timeZone: string, now: Date): string | null {
  const today = localClock(timeZone, now);
  for (let offset = 0; offset <= 7; offset++) {
    const day = calendarDayAfter(today.date, offset);
    if (hours.holidays.includes(day.date)) continue;
    const opening = (hours.weekly[day.weekday] ?? [])
      .map((candidate) => minutesOfDay(candidate.open))
      .sort((a, b) => a - b)
      .find((start) => offset > 0 || start > today.minutes);
    if (opening === undefined) continue;
    const when = offset === 0 ? 'today' : offset === 1 ? 'tomorrow' : DAY_NAMES[day.weekday];
    return `${when} at ${spokenTime(opening)}`;
  }
  return null;
}

/** The weekday and date `days` after the calendar date `date` (YYYY-MM-DD): date arithmetic only, no time zone. */
function calendarDayAfter(date: string, days: number): Pick<LocalClock, 'weekday' | 'date'> {
  const [year, month, day] = date.split('-').map(Number);
  const later = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days));
  // getUTCDay counts from Sunday (0); weekdays starts on Monday.
  return { weekday: weekdays[(later.getUTCDay() + 6) % 7] ?? 'mon', date: later.toISOString().slice(0, 10) };
}

/** "9:00 AM", "12:30 PM": the form the agent reads out. */
function spokenTime(minutes: number): string {
  const hours24 = Math.floor(minutes / 60) % 24;
  const hours12 = hours24 % 12 === 0 ? 12 : hours24 % 12;
  return `${hours12}:${String(minutes % 60).padStart(2, '0')} ${hours24 < 12 ? 'AM' : 'PM'}`;
}

/** The weekly hours in words, consecutive days with the same openings grouped: "Monday to Friday 9:00 AM to 5:00 PM; ...". */
export function describeHours(hours: BusinessHours): string {
  const dayText = (day: Weekday) => {
    const openings = hours.weekly[day] ?? [];
    if (openings.length === 0) return 'closed';
    return openings
      .map((opening) => `${spokenTime(minutesOfDay(opening.open))} to ${spokenTime(minutesOfDay(opening.close))}`)
      .join(' and ');
  };
  const groups: Array<{ first: Weekday; last: Weekday; text: string }> = [];
  for (const day of weekdays) {
    const text = dayText(day);
    const previous = groups.at(-1);
    if (previous && previous.text === text) previous.last = day;
    else groups.push({ first: day, last: day, text });
  }
  const week = groups
    .map((group) => `${DAY_NAMES[group.first]}${group.first === group.last ? '' : ` to ${DAY_NAMES[group.last]}`} ${group.text}`)
    .join('; ');
  return hours.holidays.length > 0 ? `${week}. Closed on these dates: ${hours.holidays.join(', ')}` : week;
}

const nowFormats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();

/** "Tuesday, December 8, 2026, 2:35 PM": the business's local date and time, for the prompt. */
export function describeLocalNow(timeZone: string, now: Date): string {
  let formats = nowFormats.get(timeZone);
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }),
      time: new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }),
    };
    nowFormats.set(timeZone, formats);
  }
  // ICU puts a narrow no-break space before AM/PM; plain spaces read the same and compare simply.
  return `${formats.date.format(now)}, ${formats.time.format(now)}`.replace(/[\u00a0\u202f]/g, ' ');
}

/** Where a transfer goes right now, or why there is none. */
export type TransferTarget = { number: string } | { unavailable: 'closed' | 'no_number' };

/**
 * Transfers follow the business's hours: outside them nobody is there to answer, so the caller
 * leaves a message instead. Inside them (or without hours), the first matching rule of the
 * transfer schedule names the number, else the tenant's transfer number. The number always comes
 * from the tenant's settings, never from the conversation.
 */
export function transferTargetAt(
  tenant: Pick<TenantSnapshot, 'businessHours' | 'timeZone' | 'transferSchedule' | 'transferNumber'>,
  now: Date,
): TransferTarget {
  if (!isOpenAt(tenant.businessHours, tenant.timeZone, now)) return { unavailable: 'closed' };
  if (tenant.transferSchedule.length > 0) {
    const clock = localClock(tenant.timeZone, now);
    const rule = tenant.transferSchedule.find(
      (candidate) =>
        candidate.days.includes(clock.weekday) &&
        minutesOfDay(candidate.from) <= clock.minutes &&
        clock.minutes < minutesOfDay(candidate.to),
    );
    if (rule) return { number: rule.number };
  }
  return tenant.transferNumber ? { number: tenant.transferNumber } : { unavailable: 'no_number' };
}
