import type { Call, CallTurn } from '@neurosphere/db';

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
