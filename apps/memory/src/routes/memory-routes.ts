import { getAuth } from '@neurosphere/auth';
import { createMemory } from '../domain/memories/create-memory';
import { deleteMemory } from '../domain/memories/delete-memory';
import { listMemories } from '../domain/memories/list-memories';
import type { MemoryApiHandlers, RouteDeps } from './route-deps';

/** Memory records: the V1 API and the original system's POST /memory/store. */
export function memoryRoutes({
  db,
}: RouteDeps): Pick<MemoryApiHandlers, 'listUserMemories' | 'listMemories' | 'createMemory' | 'deleteMemory' | 'legacyStore'> {
  return {
    listUserMemories: async ({ params, query, res }) => {
      const page = await listMemories({ db, customerId: getAuth(res).customerId, userId: params.user_id, limit: query.limit });
      return { status: 200, body: { success: true, memories: page.memories, next_cursor: page.nextCursor } };
    },
    listMemories: async ({ query, res }) => {
      const page = await listMemories({
        db,
        customerId: getAuth(res).customerId,
        userId: query.user_id,
        limit: query.limit,
        cursor: query.cursor,
      });
      return { status: 200, body: { success: true, memories: page.memories, next_cursor: page.nextCursor } };
    },
    createMemory: async ({ body, res }) => {
      const memory = await createMemory({
        db,
        customerId: getAuth(res).customerId,
        userId: body.user_id,
        content: body.content,
        kind: body.kind,
        metadata: body.metadata,
        sourceCallSid: body.source_call_sid,
      });
      return { status: 201, body: { success: true, memory } };
    },
    deleteMemory: async ({ params, res }) => {
      await deleteMemory({ db, customerId: getAuth(res).customerId, memoryId: params.id });
      return { status: 200, body: { success: true, id: params.id } };
    },
    legacyStore: async ({ body, res }) => {
      const memory = await createMemory({ db, customerId: getAuth(res).customerId, userId: body.user_id, content: body.content });
      return { status: 200, body: { success: true, id: memory.id, error: null } };
    },
  };
}
