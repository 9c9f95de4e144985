/**
 * What memory's `POST /v2/context/enriched` answers for a caller it knows nothing about: the body
 * the benches' stand-ins send (the bare baseline of memory-context.ts, the fake memory of
 * lib/fake-memory.ts, for call-turn.ts and relay-stream.ts).
 */
export function emptyEnrichedContext(customerId: number, userId: string) {
  return {
    success: true,
    customer_id: customerId,
    user_id: userId,
    known_caller: false,
    quick_bio: null,
    recent_summaries: [],
    known_facts: {},
    personality: null,
    prompt_context: '',
  };
}
