import type { ConversationTurn } from '@neurosphere/contracts';

/**
 * Removes payment card numbers and government id numbers from text before anything derived from a
 * call is stored or sent to a model. Deterministic checks only, tuned to over-redact rather than
 * miss: callers read numbers out as digits ("4111 1111 ...") or words ("four one one one ..."), so
 * digits and digit words are read as one run.
 *
 * - Card numbers: 13 to 19 digits in a run that pass the Luhn check.
 * - US Social Security numbers and ITINs written 123-45-6789 (or with spaces), anywhere.
 * - Any number of 5 or more digits (or letters and at least 4 digits, like a licence number)
 *   shortly after words that name a government id: social security, SSN, passport, driver's
 *   licence, state id, tax id, ITIN, Medicare, Medicaid.
 */
export function redactSensitive(text: string): string {
  if (!/\d|zero|one|two|three|four|five|six|seven|eight|nine/i.test(text)) return text;
  const spans: Span[] = [];
  const runs = digitRuns(text);
  for (const run of runs) spans.push(...cardNumbersIn(run));
  for (const match of text.matchAll(FORMATTED_SSN))
    spans.push({ start: match.index, end: match.index + match[0].length, label: SSN_LABEL });
  for (const keyword of text.matchAll(GOVERNMENT_ID_WORDS)) {
    const from = keyword.index + keyword[0].length;
    const until = from + ID_NUMBER_WINDOW;
    for (const run of runs) {
      if (run.start >= from && run.start < until && run.digits.length >= 5) spans.push({ start: run.start, end: run.end, label: ID_LABEL });
    }
    for (const token of text.slice(from, until).matchAll(ALPHANUMERIC_ID)) {
      if ((token[0].match(/\d/g)?.length ?? 0) >= 4) {
        spans.push({ start: from + token.index, end: from + token.index + token[0].length, label: ID_LABEL });
      }
    }
  }
  return applySpans(text, spans);
}

/** A transcript with every turn's text redacted (roles and times unchanged). */
export function redactTranscript(turns: ConversationTurn[]): ConversationTurn[] {
  return turns.map((turn) => {
    const text = redactSensitive(turn.text);
    return text === turn.text ? turn : { ...turn, text };
  });
}

export const CARD_LABEL = '[card number removed]';
export const SSN_LABEL = '[SSN removed]';
export const ID_LABEL = '[ID number removed]';

interface Span {
  start: number;
  end: number;
  label: string;
}

interface DigitToken {
  start: number;
  end: number;
  digits: string;
}

interface DigitRun {
  start: number;
  end: number;
  digits: string;
  tokens: DigitToken[];
}

const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

const FORMATTED_SSN = /(?<![\d-])\d{3}[- ]\d{2}[- ]\d{4}(?![\d-])/g;
const GOVERNMENT_ID_WORDS =
  /\b(?:social(?:\s+security)?|ssn|s\.s\.n\.?|passport|driver'?s?\s+licen[cs]e|licen[cs]e\s+(?:number|no\.?|#)|state\s+id|tax\s+id|taxpayer\s+id|itin|medicare|medicaid)\b/gi;
/** How far after such words a number is taken to be the id (characters). */
const ID_NUMBER_WINDOW = 60;
const ALPHANUMERIC_ID = /\b[a-z0-9][a-z0-9-]{4,}\b/gi;
/** What may stand between the digits of one number as read out: spaces, dashes, dots, commas. */
const SEPARATOR = /^[\s,.\-/]{0,3}$/;

/** Runs of digit groups and digit words separated only by spacing or punctuation. */
function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let current: DigitRun | null = null;
  for (const match of text.matchAll(/\d+|[a-z]+/gi)) {
    const word = match[0];
    const digits = /^\d+$/.test(word) ? word : DIGIT_WORDS[word.toLowerCase()];
    const start = match.index;
    const end = start + word.length;
    if (digits === undefined) {
      current = null;
      continue;
    }
    const token = { start, end, digits };
    if (current && SEPARATOR.test(text.slice(current.end, start))) {
      current.tokens.push(token);
      current.digits += digits;
      current.end = end;
    } else {
      current = { start, end, digits, tokens: [token] };
      runs.push(current);
    }
  }
  return runs;
}

/** Spans of whole tokens within a run whose digits form a Luhn-valid number of 13 to 19 digits. */
function cardNumbersIn(run: DigitRun): Span[] {
  if (run.digits.length < 13) return [];
  const spans: Span[] = [];
  for (let first = 0; first < run.tokens.length; first++) {
    let digits = '';
    for (let last = first; last < run.tokens.length; last++) {
      digits += run.tokens[last]!.digits;
      if (digits.length > 19) break;
      if (digits.length >= 13 && luhnValid(digits)) {
        spans.push({ start: run.tokens[first]!.start, end: run.tokens[last]!.end, label: CARD_LABEL });
      }
    }
  }
  return spans;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Replaces the spans (merged where they overlap; the first label of a merged span wins). */
function applySpans(text: string, spans: Span[]): string {
  if (spans.length === 0) return text;
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let result = '';
  let cursor = 0;
  for (const span of merged) {
    result += text.slice(cursor, span.start) + span.label;
    cursor = span.end;
  }
  return result + text.slice(cursor);
}
