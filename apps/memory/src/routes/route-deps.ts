import type { memoryApiContract } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import type { ContractImplementation } from '@neurosphere/http';
import type { Queue } from 'bullmq';
import type { Pool } from 'pg';

/** What the route handlers need: the app-role database and the summarization queue. */
export interface RouteDeps {
  db: Db;
  /** node-postgres pool as the app role: the context read path's single statement. */
  pool: Pool;
  queue: Queue;
}

/** The implementation of every memory API route, by route name. */
export type MemoryApiHandlers = ContractImplementation<typeof memoryApiContract>;
