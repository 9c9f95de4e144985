import type { Call, CallSummary, CallTurn } from '@neurosphere/db';

export function toCallListItem(call: Call) {
  return {
    id: call.id,
    call_sid: call.callSid,
    from_number: call.fromNumber,
    to_number: call.toNumber,
    status: call.status,
    outcome: call.outcome,
    started_at: call.startedAt.toISOString(),
    ended_at: call.endedAt?.toISOString() ?? null,
    duration_seconds: call.durationSeconds,
  };
}

export function toCallTurn(turn: CallTurn) {
  return {
    turn_index: turn.turnIndex,
    role: turn.role,
    text: turn.text,
    llm_ms: turn.llmMs,
    tts_ms: turn.ttsMs,
    total_ms: turn.totalMs,
    created_at: turn.createdAt.toISOString(),
  };
}

const asStringArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** The summary row without its raw transcript (the turns already are the transcript). */
export function toCallSummaryDetail(summary: CallSummary) {
  return {
    status: summary.status,
    summary: summary.summary,
    key_topics: asStringArray(summary.keyTopics),
    extracted: asRecord(summary.variables),
    created_at: summary.createdAt.toISOString(),
  };
}
