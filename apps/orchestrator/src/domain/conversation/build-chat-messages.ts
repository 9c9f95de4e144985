import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CallState, TranscriptTurn } from '../call-runtime/call-state';
import { buildSystemPrompt } from './build-system-prompt';
import type { PromptCall } from './build-system-prompt';

/** The model sees at most this many transcript lines verbatim; older ones are condensed (below). */
const HISTORY_WINDOW = 30;
/** Bounds of the condensed older lines: a long call must not make every turn slower and dearer. */
const EARLIER_CALLER_LINES = 12;
const EARLIER_LINE_CHARS = 200;

export interface BuildChatMessagesOptions {
  now: Date;
  /** Speech recognition below this confidence: the agent confirms what it heard before acting on it. */
  lowConfidenceThreshold: number;
}

/** What the model reads in a turn: the system prompt, then the latest lines of the call. */
export function buildChatMessages(
  state: PromptCall & Pick<CallState, 'turns'>,
  options: BuildChatMessagesOptions,
): ChatCompletionMessageParam[] {
  const older = state.turns.slice(0, Math.max(0, state.turns.length - HISTORY_WINDOW));
  const recent = state.turns.slice(-HISTORY_WINDOW);
  const earlierInCall = condenseEarlierTurns(older);
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: buildSystemPrompt({ call: state, now: options.now, ...(earlierInCall ? { earlierInCall } : {}) }) },
    ...recent.map(toChatMessage),
  ];
  const last = recent.at(-1);
  if (last?.role === 'caller' && last.confidence !== undefined && last.confidence < options.lowConfidenceThreshold) {
    messages.push({
      role: 'system',
      content:
        "Speech recognition was unsure of the caller's last words. Before acting on them, say briefly what you understood and ask the caller to confirm it.",
    });
  }
  return messages;
}

function toChatMessage(turn: TranscriptTurn): ChatCompletionMessageParam {
  if (turn.role === 'caller') return { role: 'user', content: turn.text };
  if (turn.role === 'agent') return { role: 'assistant', content: turn.text };
  return { role: 'system', content: turn.text };
}

/**
 * The rolling summary of a call longer than the window: the caller's own words (the latest
 * dozen, each cut short) and what the agent did, oldest first; the agent's lines are left out
 * because its later lines carry what mattered. Deterministic compression rather than a model
 * call: it costs no tokens, adds no latency, can never block a turn past its deadline, and cannot
 * invent facts. Returns undefined when nothing fell out of the window.
 */
function condenseEarlierTurns(turns: TranscriptTurn[]): string | undefined {
  if (turns.length === 0) return undefined;
  const clip = (text: string) => (text.length > EARLIER_LINE_CHARS ? `${text.slice(0, EARLIER_LINE_CHARS - 1)}…` : text);
  const callerLines = turns.filter((turn) => turn.role === 'caller');
  const keptCallerLines = new Set(callerLines.slice(-EARLIER_CALLER_LINES));
  const lines = turns.flatMap((turn) => {
    if (turn.role === 'system') return [`Done: ${clip(turn.text)}`];
    if (turn.role === 'caller' && keptCallerLines.has(turn)) return [`Caller: ${clip(turn.text)}`];
    return [];
  });
  const skipped = callerLines.length - keptCallerLines.size;
  if (skipped > 0) lines.unshift(`(${skipped} earlier caller line${skipped === 1 ? '' : 's'} left out)`);
  return lines.join('\n');
}
