import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { Router } from 'express';
import type { RequestHandler } from 'express';

/** Where the operator's queue view lives (under /v1, which the console's proxy forwards). */
export const QUEUE_VIEW_PATH = '/v1/platform/queues';

/**
 * Bull Board over the platform's BullMQ queues, for platform admins only: `requirePlatformAdmin`
 * runs before every page, asset and API call of the board. Read-only: retrying or removing jobs
 * by hand would bypass the jobs' own idempotency and tenant checks (and the console's cookie
 * session could not send the CSRF header the board's buttons would need anyway).
 */
export function queueViewRoutes(options: { queues: readonly Queue[]; requirePlatformAdmin: RequestHandler }): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_VIEW_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Queues' } },
  });
  const router = Router();
  router.use(QUEUE_VIEW_PATH, options.requirePlatformAdmin, serverAdapter.getRouter() as RequestHandler);
  return router;
}
