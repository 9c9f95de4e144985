import type { Memory } from '@neurosphere/db';
import type { MemoryRecord } from '@neurosphere/contracts';
import { asRecord, toIso } from '../shared/serialize';

/** A memories row as the API returns it. */
export function toMemoryRecord(memory: Memory): MemoryRecord {
  return {
    id: memory.id,
    customer_id: memory.customerId,
    user_id: memory.userId,
    content: memory.content,
    kind: memory.kind,
    metadata: asRecord(memory.metadata),
    source_call_sid: memory.sourceCallSid,
    created_at: toIso(memory.createdAt),
    updated_at: toIso(memory.updatedAt),
  };
}
