import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { HistogramConfiguration } from 'prom-client';

// The metrics every service shares. No label ever carries a tenant id, a phone number or a raw
// path: series must stay few and free of personal data (routes are templates such as
// "/v1/callers/:phone").

/** Seconds; from a fast Redis read to a slow LLM answer. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];

/** The histogram `name` on `registry`, registering it the first time (an app built twice on one registry reuses it). */
export function histogramOn<L extends string>(registry: Registry, config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  const existing = registry.getSingleMetric(config.name);
  if (existing) return existing as Histogram<L>;
  return new Histogram<L>({ buckets: LATENCY_BUCKETS, ...config, registers: [registry] });
}

/**
 * `http_request_duration_seconds{method,route,status_code}` for every request that reaches the app
 * (probes excluded: createServiceApp mounts this after them). `route` is the Express route template
 * the request matched, or "unmatched" (404s): never the raw path.
 */
export function requestMetrics(registry: Registry) {
  const duration = histogramOn<'method' | 'route' | 'status_code'>(registry, {
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route template and status',
    labelNames: ['method', 'route', 'status_code'],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const stop = duration.startTimer();
    res.once('finish', () => {
      stop({ method: req.method, route: routeTemplateOf(req), status_code: String(res.statusCode) });
    });
    next();
  };
}

function routeTemplateOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? route.path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** The registry createServiceApp recorded the app's metrics in (kept in `app.locals`). */
export function metricsRegistryOf(app: Express): Registry {
  const registry: unknown = app.locals.metricsRegistry;
  if (!(registry instanceof Registry)) throw new Error('This app has no metrics registry: build it with createServiceApp');
  return registry;
}

/** Runs one provider request and records how long it took and how it ended. */
export type ProviderTimer = <T>(provider: Provider, operation: string, work: () => Promise<T>) => Promise<T>;

/** The outside providers the platform pays for and waits on. */
export type Provider = 'openai' | 'elevenlabs' | 'twilio';

/** `provider_request_duration_seconds{provider,operation,outcome}`: outcome "ok" or "error". */
export function providerTimer(registry: Registry): ProviderTimer {
  const duration = histogramOn<'provider' | 'operation' | 'outcome'>(registry, {
    name: 'provider_request_duration_seconds',
    help: 'Time an outside provider (OpenAI, ElevenLabs, Twilio) took to answer, by operation and outcome',
    labelNames: ['provider', 'operation', 'outcome'],
  });
  return async (provider, operation, work) => {
    const stop = duration.startTimer({ provider, operation });
    try {
      const result = await work();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: 'error' });
      throw error;
    }
  };
}

/** For clients built without metrics (tests of other things, CLIs). */
export const untimed: ProviderTimer = (_provider, _operation, work) => work();

/** Answers `GET /metrics` with the registry in Prometheus text format, and 404 to anything else. */
export function metricsListener(registry: Registry): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
    );
  };
}

export interface MetricsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * The internal metrics listener (METRICS_PORT): a port of its own, so `/metrics` is never on a
 * public port (the gateway's faces Twilio) and a scraper needs no service token. Adds the
 * process's own metrics (CPU, memory, event loop lag) to the registry.
 */
export async function startMetricsServer(options: {
  registry: Registry;
  port: number;
  host?: string;
  logger: Logger;
}): Promise<MetricsServer> {
  if (!options.registry.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics({ register: options.registry });
  const server = createServer(metricsListener(options.registry));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info({ port, host }, 'metrics listening');
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper keeps its connection alive between scrapes; it must not hold the shutdown.
        server.closeAllConnections();
      }),
  };
}

export { Registry };
