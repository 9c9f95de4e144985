import { initContract } from '@ts-rest/core';
import { z } from 'zod';

const c = initContract();

/** Liveness and readiness, served by every app (see packages/http healthRoutes). */
export const healthContract = c.router({
  healthz: {
    method: 'GET',
    path: '/healthz',
    responses: { 200: z.object({ status: z.literal('ok') }) },
    summary: 'The process is up',
  },
  readyz: {
    method: 'GET',
    path: '/readyz',
    responses: {
      200: z.object({ status: z.literal('ok'), checks: z.record(z.enum(['ok', 'failed'])) }),
      503: z.object({ status: z.literal('unavailable'), error: z.string(), checks: z.record(z.enum(['ok', 'failed'])) }),
    },
    summary: 'The dependencies this service needs (PostgreSQL, Redis) are reachable',
  },
});
