import { Router } from 'express';
import type { OrchestratorMetrics } from '../observability/metrics';

/**
 * GET /metrics in Prometheus text format. Like /healthz and /readyz it carries no service token:
 * scrapers cannot mint one, the port is internal, and the counters hold no tenant data.
 */
export function metricsRoute(metrics: OrchestratorMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
