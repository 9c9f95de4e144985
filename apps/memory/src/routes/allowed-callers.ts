import type { memoryApiContract } from '@neurosphere/contracts';
import type { RouteCallers } from '@neurosphere/http';

/**
 * Which services may call each memory route: the services whose clients call it today
 * (docs/architecture.md §5.1). Any other service is refused: 401 when it calls no memory route at
 * all, 403 otherwise. A new caller is one line here, added with its client. The routes kept from
 * the original memory API that no service calls accept nobody until one does.
 */
export const MEMORY_CALLERS = {
  // orchestrator: the call-start context (apps/orchestrator/src/clients/memory-client.ts);
  // sms: caller context for AI text replies (apps/sms/src/clients/memory-client.ts).
  enrichedContext: ['orchestrator', 'sms'],
  // orchestrator: the call log job hands over the transcript.
  processCall: ['orchestrator'],
  summaries: [],
  profile: [],
  personality: [],
  // admin-api: a tenant admin erases a caller (apps/admin-api/src/clients/memory-client.ts).
  eraseCaller: ['admin-api'],
  queueStatus: [],
  listUserMemories: [],
  listMemories: [],
  createMemory: [],
  deleteMemory: [],
  legacyStore: [],
} as const satisfies RouteCallers<typeof memoryApiContract>;

export type MemoryCallers = RouteCallers<typeof memoryApiContract>;
