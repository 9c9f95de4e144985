import type { MemoryRecord } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { toMemoryRecord } from './memory-record';

export interface CreateMemoryOptions {
  db: Db;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
  content: string;
  /** Free label, e.g. "fact", "preference"; default "fact". */
  kind?: string;
  metadata?: Record<string, unknown>;
  sourceCallSid?: string;
}

/** Stores one memory about one caller of one tenant. */
export async function createMemory(options: CreateMemoryOptions): Promise<MemoryRecord> {
  const { db, customerId } = options;
  const memory = await withTenant(db, customerId, (tx) =>
    tx.memory.create({
      data: {
        customerId,
        userId: options.userId,
        content: options.content,
        kind: options.kind ?? 'fact',
        metadata: (options.metadata ?? {}) as Prisma.InputJsonObject,
        sourceCallSid: options.sourceCallSid ?? null,
      },
    }),
  );
  return toMemoryRecord(memory);
}
