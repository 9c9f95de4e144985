/** The meters written today: the orchestrator's save-call-log, memory's summarize-call and the sms service. */
const USAGE_KIND_LABEL: Record<string, string> = {
  call_minutes: 'Call minutes',
  llm_tokens: 'Language model tokens',
  tts_chars: 'Speech characters',
  summary_tokens: 'Summary model tokens',
  sms_segments_in: 'Text segments received',
  sms_segments_out: 'Text segments sent',
};

/** A meter's name for people; a meter added later shows as the API names it. */
export function usageKindLabel(kind: string): string {
  return USAGE_KIND_LABEL[kind] ?? kind;
}

/** The current calendar month (UTC) as date-input values: [first day, first day of the next month). */
export function monthRange(now = new Date()): { from: string; to: string } {
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return {
    from: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))),
    to: iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))),
  };
}
