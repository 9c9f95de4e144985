/**
 * Compares what a caller says about themselves with what is stored, tolerant of how speech
 * recognition writes things: case, accents, punctuation and spacing, names spelled out letter by
 * letter ("S M I T H"), one-letter slips in longer names (Jon / John, Smyth / Smith), digits said
 * as words ("nine oh two one oh"), dates said in words ("March 3rd 1980"). Stored values never
 * leave this module: callers get true or false.
 */

const FILLER_WORDS = new Set([
  'my',
  'name',
  'is',
  'its',
  'it',
  's',
  'this',
  'i',
  'am',
  'im',
  'the',
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'and',
  'called',
  'call',
  'me',
]);

const DIGIT_WORDS: Record<string, string> = {
  zero: '0',
  oh: '0',
  o: '0',
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

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  eleventh: 11,
  twelfth: 12,
  thirteenth: 13,
  fourteenth: 14,
  fifteenth: 15,
  sixteenth: 16,
  seventeenth: 17,
  eighteenth: 18,
  nineteenth: 19,
  twentieth: 20,
  thirtieth: 30,
};

/** Lower case, accents removed, anything but letters and digits a space, spaces collapsed. */
export function normalizeSpoken(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Words, with runs of single letters joined ("s m i t h" → "smith"): a name spelled out. */
function words(text: string): string[] {
  const tokens = normalizeSpoken(text).split(' ').filter(Boolean);
  const joined: string[] = [];
  let letters = '';
  for (const token of tokens) {
    if (token.length === 1 && /[a-z]/.test(token)) {
      letters += token;
      continue;
    }
    if (letters) joined.push(letters);
    letters = '';
    joined.push(token);
  }
  if (letters) joined.push(letters);
  return joined;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(previous[j]! + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The same name word, allowing one slip when the longer word has at least four letters. */
function sameNameWord(spoken: string, stored: string): boolean {
  if (spoken === stored) return true;
  return Math.max(spoken.length, stored.length) >= 4 && editDistance(spoken, stored) <= 1;
}

/**
 * The spoken name matches the stored one: its first and last words (a middle name may be left
 * out) must each be said, in that order. A single stored word must be said. A first name alone
 * never matches a full stored name: a household shares a number and a last name, rarely a first name
 * and a last name.
 */
export function namesMatch(spoken: string, stored: string): boolean {
  const storedWords = words(stored);
  const spokenWords = words(spoken).filter((word) => !FILLER_WORDS.has(word));
  if (storedWords.length === 0 || spokenWords.length === 0) return false;
  const first = storedWords[0]!;
  const last = storedWords[storedWords.length - 1]!;
  const firstAt = spokenWords.findIndex((word) => sameNameWord(word, first));
  if (firstAt < 0) return false;
  if (storedWords.length === 1) return true;
  return spokenWords.slice(firstAt + 1).some((word) => sameNameWord(word, last));
}

/** The digits in what was said, digit words included ("nine oh two one 0" → "90210"). */
export function spokenDigits(text: string): string {
  return normalizeSpoken(text)
    .split(' ')
    .map((token) => (/^\d+$/.test(token) ? token : (DIGIT_WORDS[token] ?? '')))
    .join('');
}

/** A calendar date in what was said ("March 3rd, 1980", "3/3/1980", "1980-03-03"), as YYYY-MM-DD. */
export function spokenDate(text: string): string | null {
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(text);
  if (iso) return dateString(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/.exec(text);
  if (numeric) return dateString(Number(numeric[3]), Number(numeric[1]), Number(numeric[2]));
  const tokens = normalizeSpoken(text.replace(/(\d+)(st|nd|rd|th)\b/gi, '$1')).split(' ');
  let month: number | undefined;
  let day: number | undefined;
  let year: number | undefined;
  for (const token of tokens) {
    if (MONTHS[token] !== undefined && month === undefined) month = MONTHS[token];
    else if (/^\d{4}$/.test(token)) year = Number(token);
    else if (/^\d{1,2}$/.test(token) && day === undefined) day = Number(token);
    else if (ORDINAL_WORDS[token] !== undefined && day === undefined) day = ORDINAL_WORDS[token];
  }
  return month !== undefined && day !== undefined && year !== undefined ? dateString(year, month, day) : null;
}

function dateString(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * How much a caller may say besides the stored detail: enough for "oh, it's nine oh two one oh"
 * or "I live in Orange County", too little to recite a list of guesses ("Boston, Denver,
 * Springfield...", a long run of digits) and have whichever is right match.
 */
const MAX_EXTRA_DIGITS = 2;
/** Not counting filler words ("my name is Dana Whitfield from Springfield" has three more). */
const MAX_EXTRA_WORDS = 4;

/**
 * The spoken detail matches one stored value: the same date, the same digits (three or more:
 * zip codes, policy and account numbers), or the stored words said as whole words, with little
 * else said (MAX_EXTRA_DIGITS, MAX_EXTRA_WORDS).
 */
export function detailMatches(spoken: string, stored: string): boolean {
  const storedDate = /^\d{4}-\d{2}-\d{2}/.test(stored) ? stored.slice(0, 10) : null;
  if (storedDate) return spokenDate(spoken) === storedDate;
  const storedDigits = stored.replace(/\D/g, '');
  if (storedDigits.length >= 3 && storedDigits.length >= normalizeSpoken(stored).replace(/ /g, '').length / 2) {
    const saidDigits = spokenDigits(spoken);
    return saidDigits.includes(storedDigits) && saidDigits.length - storedDigits.length <= MAX_EXTRA_DIGITS;
  }
  const storedText = normalizeSpoken(stored);
  if (storedText.replace(/ /g, '').length < 3) return false;
  const saidText = normalizeSpoken(spoken);
  return ` ${saidText} `.includes(` ${storedText} `) && contentWords(saidText) - contentWords(storedText) <= MAX_EXTRA_WORDS;
}

/** Words of a normalized text that are not filler ("my name is..."). */
function contentWords(normalized: string): number {
  return normalized.split(' ').filter((word) => word && !FILLER_WORDS.has(word)).length;
}

/**
 * Stored values a caller may name to prove who they are: the template's verifiable fields when
 * it marks some, else every stored text, number or date of four characters or more (shorter ones,
 * like "yes" or "FHA", are too easy to guess).
 */
export function verifiableFacts(
  knownFacts: Record<string, unknown>,
  fields: { labels: Readonly<Record<string, string>>; verifiable: readonly string[] | null },
): Array<{ label: string; value: string }> {
  return Object.entries(knownFacts).flatMap(([key, value]) => {
    if (fields.verifiable && !fields.verifiable.includes(key)) return [];
    if (typeof value !== 'string' && typeof value !== 'number') return [];
    const text = String(value).trim();
    if (normalizeSpoken(text).replace(/ /g, '').length < 4) return [];
    return [{ label: fields.labels[key] ?? key.replace(/_/g, ' '), value: text }];
  });
}
