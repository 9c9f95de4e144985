import { Router } from 'express';
import type { Registry } from 'prom-client';

/** GET /metrics in Prometheus text format. Counters carry no tenant ids (see metrics.ts). */
export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.status(200).type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
