// The one place tests get values that must not collide: test files run in parallel jest workers
// against one PostgreSQL and one Redis and never clean up, so every name, SID and phone number a
// test writes comes from here.
import { randomBytes, randomUUID } from 'node:crypto';

/** 12 random hex digits: for names, emails, key ids, industry keys and BullMQ prefixes. */
export function uniqueSuffix(): string {
  return randomUUID().replaceAll('-', '').slice(0, 12);
}

function twilioSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** A Twilio-shaped call SID (CA + 32 hex). */
export function uniqueCallSid(): string {
  return twilioSid('CA');
}

/** A Twilio-shaped message SID (SM + 32 hex). */
export function uniqueMessageSid(): string {
  return twilioSid('SM');
}

/** A Twilio-shaped account SID (AC + 32 hex). */
export function uniqueAccountSid(): string {
  return twilioSid('AC');
}

/**
 * Real North American area codes: with any exchange 200-999 and any line, libphonenumber-js (and
 * so the contracts' E.164 schema) accepts the number as valid (checked in unique-ids.test.ts).
 */
export const PHONE_AREA_CODES = [
  '212',
  '312',
  '415',
  '646',
  '917',
  '617',
  '303',
  '206',
  '503',
  '404',
  '305',
  '702',
  '713',
  '214',
  '602',
  '612',
];
/** Exchange 555 is left out: fixed numbers in tests and seed data use it, so no generated number can equal one. */
const EXCHANGES = 799;
const LINES = 10_000;
const NUMBERS = PHONE_AREA_CODES.length * EXCHANGES * LINES;
/** Jest workers 1..31 get a slot each; 0 is for processes outside jest (bench, scripts). */
const SLOTS = 32;
const SLOT_SIZE = Math.floor(NUMBERS / SLOTS);

/** The phone number at `index` (0 <= index < the number of phone numbers this module hands out). */
export function phoneNumberAt(index: number): string {
  const areaCode = PHONE_AREA_CODES[Math.floor(index / (EXCHANGES * LINES))];
  if (areaCode === undefined || index < 0) throw new RangeError(`no phone number at index ${index}`);
  const withinArea = index % (EXCHANGES * LINES);
  const exchangeIndex = Math.floor(withinArea / LINES);
  const exchange = 200 + exchangeIndex + (exchangeIndex >= 555 - 200 ? 1 : 0);
  const line = (withinArea % LINES).toString().padStart(4, '0');
  return `+1${areaCode}${exchange}${line}`;
}

/** The slot of numbers a process draws from: its jest worker's own, so parallel workers never share a number. */
export function phoneSlotOf(jestWorkerId: string | undefined): { first: number; size: number } {
  const worker = Number(jestWorkerId);
  const slot = Number.isInteger(worker) && worker > 0 ? worker % SLOTS : 0;
  return { first: slot * SLOT_SIZE, size: SLOT_SIZE };
}

/**
 * Jest gives every test file its own module registry and global object, so this counter lives on
 * the file's globalThis (shared by every copy of this module the file loads). Each file starts at
 * the clock's millisecond within its worker's slot: a later file starts past the numbers an earlier
 * one drew unless that one drew more than one number per millisecond it ran. The slot wraps after
 * about an hour, longer than a test run keeps its database.
 */
const COUNTER = Symbol.for('@neurosphere/testing.uniquePhone');
type CounterHolder = { [COUNTER]?: { next: number } };
const counter = ((globalThis as CounterHolder)[COUNTER] ??= { next: Date.now() });

/**
 * A valid E.164 number that no other call in this test run returns: unique within a process, and
 * across the parallel jest workers of one run (each draws from its own slot).
 */
export function uniquePhone(): string {
  const { first, size } = phoneSlotOf(process.env.JEST_WORKER_ID);
  return phoneNumberAt(first + (counter.next++ % size));
}
