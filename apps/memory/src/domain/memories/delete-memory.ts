import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

export interface DeleteMemoryOptions {
  db: Db;
  customerId: number;
  memoryId: string;
}

/** Deletes one memory of this tenant; another tenant's memory is indistinguishable from none (404). */
export async function deleteMemory({ db, customerId, memoryId }: DeleteMemoryOptions): Promise<void> {
  const { count } = await withTenant(db, customerId, (tx) => tx.memory.deleteMany({ where: { customerId, id: memoryId } }));
  if (count === 0) throw new AppError('NOT_FOUND', `Memory ${memoryId} not found`);
}
