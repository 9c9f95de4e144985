/**
 * The compliance keywords of an inbound text. Like carriers and Twilio, a keyword counts only when
 * it is the whole message (case, surrounding spaces and trailing punctuation ignored): "Stop." opts
 * out, "please stop calling me" does not.
 */
export type SmsKeyword = { kind: 'opt_out' | 'opt_in' | 'help'; word: string };

const KEYWORDS: Record<string, SmsKeyword['kind']> = {
  STOP: 'opt_out',
  STOPALL: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  CANCEL: 'opt_out',
  END: 'opt_out',
  QUIT: 'opt_out',
  START: 'opt_in',
  UNSTOP: 'opt_in',
  HELP: 'help',
};

export function parseKeyword(body: string): SmsKeyword | null {
  const word = body
    .trim()
    .replace(/[\s.!?,;:]+$/u, '')
    .toUpperCase();
  const kind = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
  return kind ? { kind, word } : null;
}
