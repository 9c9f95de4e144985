import type { ConversationTurn } from '@neurosphere/contracts';

/**
 * Below either threshold a call is "short": too little of the caller's own speech to judge how
 * they come across, so no personality scores are asked for or stored (a guess would then count
 * as much as a real call in the caller's averages).
 */
export const SHORT_CALL_CALLER_TURNS = 3;
export const SHORT_CALL_CALLER_WORDS = 40;

/** What the transcript alone says about a call, decided before any model is asked. */
export interface CallAssessment {
  callerTurns: number;
  callerWords: number;
  /** The caller side said nothing: nothing to summarize or learn. */
  silent: boolean;
  /** The caller side is an answering machine's greeting, not a person. */
  voicemail: boolean;
  /** Fewer than SHORT_CALL_CALLER_TURNS caller turns or SHORT_CALL_CALLER_WORDS caller words. */
  short: boolean;
  /** Whether the summarizer is asked for personality scores at all. */
  scorePersonality: boolean;
}

// Phrases of voicemail greetings and carrier announcements that a person calling a business does
// not say: "leave a message after the tone", "the person you are trying to reach is unavailable".
const VOICEMAIL_PATTERNS: RegExp[] = [
  /\b(?:after|at)\s+the\s+(?:tone|beep)\b/i,
  /\b(?:voice\s*mail(?:box)?|mailbox)\b.{0,40}\b(?:is\s+full|has\s+not\s+been\s+set\s*up|not\s+set\s*up)\b/i,
  /\bplease\s+leave\s+(?:a|your)\s+(?:message|name)\b/i,
  /\b(?:is|am|are)\s+(?:not\s+available|unavailable)\b.{0,60}\b(?:leave|message|tone|beep)\b/i,
  /\bthe\s+(?:person|party|number|subscriber|customer)\s+you\s+(?:are\s+trying\s+to\s+reach|have\s+(?:dialed|called|reached)|called)\b/i,
  /\brecord\s+your\s+message\b/i,
  /\b(?:you\s+have\s+reached\s+the\s+)?voice\s*mail\s+(?:box\s+)?of\b/i,
];

export function assessCall(transcript: ConversationTurn[]): CallAssessment {
  const callerTexts = transcript
    .filter((turn) => turn.role === 'caller')
    .map((turn) => turn.text.trim())
    .filter((text) => text !== '');
  const callerWords = callerTexts.reduce((count, text) => count + text.split(/\s+/).length, 0);
  const callerTurns = callerTexts.length;
  const silent = callerWords === 0;
  // A machine speaks first and briefly: only the first two caller turns of a call with few of them count.
  const voicemail =
    callerTurns > 0 &&
    callerTurns <= SHORT_CALL_CALLER_TURNS &&
    callerTexts.slice(0, 2).some((text) => VOICEMAIL_PATTERNS.some((pattern) => pattern.test(text)));
  const short = callerTurns < SHORT_CALL_CALLER_TURNS || callerWords < SHORT_CALL_CALLER_WORDS;
  return { callerTurns, callerWords, silent, voicemail, short, scorePersonality: !silent && !voicemail && !short };
}
