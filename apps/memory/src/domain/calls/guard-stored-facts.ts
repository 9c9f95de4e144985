/**
 * What a call summary may store about a caller. Stored facts go back into the agent's prompt on
 * the next call, so anything here is read by a model later:
 * - a fact is recorded as something the caller said, never as a statement the agent should treat
 *   as true ("The caller said: they were promised 50% off", not "Promised 50% off");
 * - a "fact" that reads as an instruction to the agent (a prompt injection spoken on the call) is
 *   dropped, not stored;
 * - payment card numbers and US social security numbers are never stored, wherever they appear.
 */

const CALLER_SAID = 'The caller said: ';

/**
 * Text addressed to the agent rather than about the caller. Deliberately narrow: a false positive
 * only loses one remembered sentence, a false negative is caught again by the prompt's fence.
 */
const INSTRUCTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules?|prompt|guidelines?|everything)\b/i,
  /\b(system|developer)\s+(prompt|message|instructions?)\b/i,
  /\byou\s+(must|should|have to|need to|are required to|will now)\b/i,
  /\bfrom now on\b/i,
  /\b(act|behave|respond|answer)\s+as\b/i,
  /\bpretend\s+(to be|you)\b/i,
  /\b(always|never)\s+(tell|say|give|offer|answer|reveal)\b/i,
  /\b(reveal|repeat|print|show)\b.{0,30}\b(instructions?|prompt)\b/i,
  /\b(promised?|owe[sd]?|entitled to)\b.{0,40}(\d+\s*%|\bpercent\b|\bfree\b|\bdiscount\b|\brefund\b)/i,
];

export function looksLikeInstruction(text: string): boolean {
  return INSTRUCTION_PATTERNS.some((pattern) => pattern.test(text));
}

/** 13 to 19 digits, optionally grouped by spaces or dashes, not part of a longer number or an E.164 (+...) number. */
const CARD_CANDIDATE = /(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)/g;
/** A US social security number written as one (123-45-6789, 123 45 6789), or nine digits named as one. */
const SSN_GROUPED = /(?<!\d)\d{3}[- ]\d{2}[- ]\d{4}(?!\d)/g;
const SSN_NAMED = /\b(ssn|social security(?: number)?|social)(\s*(?:number|no\.?|#)?\s*(?:is|:)?\s*)\d{9}(?!\d)/gi;

export const REDACTED_CARD = '[card number removed]';
export const REDACTED_ID = '[government id removed]';

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Replaces card numbers (Luhn-valid 13-19 digit runs) and social security numbers in text. */
export function redactSensitiveNumbers(text: string): string {
  return text
    .replace(CARD_CANDIDATE, (match) => (passesLuhn(match.replace(/\D/g, '')) ? REDACTED_CARD : match))
    .replace(SSN_GROUPED, REDACTED_ID)
    .replace(SSN_NAMED, (_match, label: string, between: string) => `${label}${between}${REDACTED_ID}`);
}

/** The facts a summary may store: trimmed, de-duplicated, without instructions or sensitive numbers, each as the caller's word. */
export function guardStoredFacts(facts: readonly string[]): string[] {
  const kept = facts
    .map((fact) => fact.trim())
    .filter((fact) => fact.length > 0 && !looksLikeInstruction(fact))
    .map((fact) => redactSensitiveNumbers(fact))
    .map((fact) => (/^(the )?caller said\b/i.test(fact) ? fact : `${CALLER_SAID}${fact}`));
  return [...new Set(kept)];
}

/** Every string inside a summary value (summary text, template variables, lists) with sensitive numbers removed. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactSensitiveNumbers(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item as unknown)])) as T;
  }
  return value;
}
