import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CallState } from '../call-runtime/call-state';
import { buildSystemPrompt } from './build-system-prompt';

/** The model sees at most this many transcript lines; older ones are summarized by memory after the call. */
const HISTORY_LIMIT = 40;

/** What the model reads in a turn: the system prompt, then the latest lines of the call. */
export function buildChatMessages(state: Pick<CallState, 'tenant' | 'callerContext' | 'turns'>): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: buildSystemPrompt({ tenant: state.tenant, callerContext: state.callerContext }) },
    ...state.turns.slice(-HISTORY_LIMIT).map(toChatMessage),
  ];
}

function toChatMessage(turn: CallState['turns'][number]): ChatCompletionMessageParam {
  if (turn.role === 'caller') return { role: 'user', content: turn.text };
  if (turn.role === 'agent') return { role: 'assistant', content: turn.text };
  return { role: 'system', content: turn.text };
}
