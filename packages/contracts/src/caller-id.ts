import { normalizePhone } from './common';

/**
 * What Twilio puts in `From` when a caller withholds their number: a word ("Anonymous",
 * "Restricted"...), an empty value, or one of these numbers, which spell the same words on a
 * phone keypad (ANONYMOUS, RESTRICTED, BLOCKED, UNKNOWN, UNAVAILABLE). Some of them are valid
 * E.164 numbers, so they must be recognized before normalizing, or every withheld caller would
 * share one "known caller" memory.
 */
const WITHHELD_NUMBERS = new Set(['+266696687', '+7378742833', '+2562533', '+8656696', '+86282452253']);

/** The caller's number in E.164, or null when the caller id is withheld or not a phone number. */
export function callerNumberOf(from: string): string | null {
  const raw = from.trim();
  if (WITHHELD_NUMBERS.has(raw.replace(/[^\d+]/g, ''))) return null;
  return normalizePhone(raw);
}
