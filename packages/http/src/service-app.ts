import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import express from 'express';
import type { Express, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRoutes } from './health';
import type { ReadinessCheck } from './health';
import { requestMetrics } from './metrics';
import { requestLogger } from './request-logger';
import { refuseUnstorableText } from './storable-text';

export interface CreateServiceAppOptions {
  service: string;
  logger: Logger;
  /** Dependencies `/readyz` must reach, e.g. `{ postgres: postgresCheck(pool), redis: redisCheck(redis) }`. */
  readinessChecks: Record<string, ReadinessCheck>;
  /** Largest JSON or form body accepted; default "1mb". */
  bodyLimit?: string;
  /**
   * Also parse form-encoded bodies (`application/x-www-form-urlencoded`): Twilio posts its
   * webhooks that way. Off by default: services called by services speak JSON only, and a parser
   * that never matches still runs on every request.
   */
  formBodies?: boolean;
  /** Per-check readiness timeout; default 2000 ms. */
  readinessTimeoutMs?: number;
  /**
   * Where the request latency histogram is recorded (main.ts serves it on METRICS_PORT); a fresh
   * registry unless given. Never served on the app's own port.
   */
  metricsRegistry?: Registry;
}

export interface ServiceApp {
  app: Express;
  /** The registry holding `http_request_duration_seconds` (the one given, or a fresh one). */
  metricsRegistry: Registry;
  /** Appends the 404 and error handlers; call once, after all routes. Returns the app. */
  finish(): Express;
}

/**
 * The common Express 5 app of every service: health routes (not request-logged or timed, probes
 * are frequent), a request latency histogram per route, request logging with request ids, JSON
 * bodies (and form bodies where asked for). Add
 * routes to `app`, then call `finish()`.
 */
export function createServiceApp(options: CreateServiceAppOptions): ServiceApp {
  const { logger, bodyLimit = '1mb' } = options;
  const app = express();
  app.disable('x-powered-by');
  // Services answer fresh data to other services and to Twilio, which never revalidate; Express's
  // default ETag would hash every response body (SHA-1) for nothing.
  app.set('etag', false);
  app.locals.service = options.service;
  app.use(healthRoutes({ checks: options.readinessChecks, timeoutMs: options.readinessTimeoutMs, logger }));
  const metricsRegistry = options.metricsRegistry ?? new Registry();
  // For startServer's metrics listener and for tests: metricsRegistryOf(app).
  app.locals.metricsRegistry = metricsRegistry;
  app.use(requestMetrics(metricsRegistry));
  app.use(continueIncomingTrace);
  app.use(requestLogger(logger));
  app.use(express.json({ limit: bodyLimit }));
  if (options.formBodies) app.use(express.urlencoded({ extended: false, limit: bodyLimit }));
  app.use(refuseUnstorableText);
  return {
    app,
    metricsRegistry,
    finish() {
      app.use(notFoundHandler);
      app.use(errorHandler(logger));
      return app;
    },
  };
}

/**
 * Runs the request in the trace its `traceparent` header names. The http instrumentation already
 * does so when it is loaded (its server span is then active, and nothing changes here); this keeps
 * the trace going where it is not (tests, where jest loads modules past its require hooks).
 * Without a tracing SDK, extraction and context.with do nothing.
 */
const continueIncomingTrace: RequestHandler = (req, _res, next) => {
  if (trace.getSpan(context.active()) || !req.headers.traceparent) {
    next();
    return;
  }
  context.with(propagation.extract(ROOT_CONTEXT, req.headers), () => next());
};
