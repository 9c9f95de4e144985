import type { ConversationTurn } from '@neurosphere/contracts';

/**
 * The transcript budget of one summarization request, in characters. English runs about four
 * characters per token, so the default 48,000 is about 12,000 tokens: with the instructions,
 * schema and profile it stays far inside the context of the models the worker uses (128k for
 * gpt-4o-mini), and keeps the cost and latency of the longest calls bounded. Set per deployment
 * with SUMMARY_TRANSCRIPT_MAX_CHARS.
 */
export const DEFAULT_TRANSCRIPT_BUDGET_CHARS = 48_000;
/** Longest single turn kept whole (a runaway speech-recognition result, a pasted text). */
export const TURN_MAX_CHARS = 2_000;
/** Agent turns are cut to this first when a transcript is over budget: the caller's words matter most. */
export const AGENT_TURN_TRIMMED_CHARS = 200;
/** Share of the budget kept from the start when turns must be left out (the rest from the end). */
const HEAD_SHARE = 0.25;

const SPEAKER: Record<ConversationTurn['role'], string> = { caller: 'Caller', agent: 'Agent', system: 'System' };

export interface FittedTranscript {
  /** One line per turn, "Caller: ..." / "Agent: ...", at most the budget long. */
  text: string;
  /** Turns cut short (over TURN_MAX_CHARS, or agent turns of an over-budget call). */
  shortenedTurns: number;
  /** Turns left out from the middle of the call. */
  omittedTurns: number;
}

/**
 * Fits a transcript into `budgetChars`, deterministically, in three steps until it fits: cut any
 * turn longer than TURN_MAX_CHARS (or a quarter of the budget); cut agent and system turns to
 * AGENT_TURN_TRIMMED_CHARS; then keep the start of the call (who is calling and why) and as much
 * of its end (what was agreed) as fits, with a marker line where turns were left out.
 */
export function fitTranscript(transcript: ConversationTurn[], budgetChars: number = DEFAULT_TRANSCRIPT_BUDGET_CHARS): FittedTranscript {
  const turnMax = Math.max(1, Math.min(TURN_MAX_CHARS, Math.floor(budgetChars / 4)));
  const turns = transcript.map((turn) => ({ role: turn.role, text: neutralizeFences(turn.text) }));
  let limits = turns.map(() => turnMax);
  let lines = turns.map((turn, index) => line(turn, limits[index] as number));
  if (length(lines) > budgetChars) {
    limits = turns.map((turn) => (turn.role === 'caller' ? turnMax : Math.min(turnMax, AGENT_TURN_TRIMMED_CHARS)));
    lines = turns.map((turn, index) => line(turn, limits[index] as number));
  }
  const shortened = turns.filter((turn, index) => turn.text.length > (limits[index] as number)).length;
  if (length(lines) <= budgetChars) return { text: lines.join('\n'), shortenedTurns: shortened, omittedTurns: 0 };

  const head: string[] = [];
  let used = 0;
  for (const entry of lines) {
    if (used + entry.length + 1 > budgetChars * HEAD_SHARE) break;
    head.push(entry);
    used += entry.length + 1;
  }
  const markerRoom = 80;
  const tail: string[] = [];
  for (let index = lines.length - 1; index >= head.length; index--) {
    const entry = lines[index] as string;
    if (used + entry.length + 1 + markerRoom > budgetChars) break;
    tail.unshift(entry);
    used += entry.length + 1;
  }
  const omitted = lines.length - head.length - tail.length;
  const marker = `[... ${omitted} turns left out to fit the summary budget ...]`;
  return { text: [...head, marker, ...tail].join('\n'), shortenedTurns: shortened, omittedTurns: omitted };
}

function line(turn: { role: ConversationTurn['role']; text: string }, max: number): string {
  return `${SPEAKER[turn.role]}: ${turn.text.length > max ? `${turn.text.slice(0, max)} [...]` : turn.text}`;
}

function length(lines: string[]): number {
  return lines.reduce((total, entry) => total + entry.length + 1, 0) - 1;
}

/**
 * The request fences the transcript in <transcript> tags: a caller who says the closing tag must
 * not be able to end the fence and speak as the instructions.
 */
function neutralizeFences(text: string): string {
  return text.replace(/<\s*\/?\s*(?:transcript|current_profile)\b[^>]*>/gi, '[tag removed]');
}
