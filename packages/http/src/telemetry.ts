import { loadEnv, url } from '@neurosphere/config';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import { z } from 'zod';

// This module is the `@neurosphere/http/telemetry` entry, loaded by each app's src/instrument.ts
// before anything else: instrumentation patches http, express, pg and ioredis as they are first
// required, so it must not import them (nor the rest of this package) itself.

export const telemetryEnvSchema = z.object({
  // An OpenTelemetry collector's OTLP/HTTP endpoint (e.g. http://otel-collector:4318): traces are
  // exported there. Unset: no tracing at all (no SDK, no instrumentation, no cost). The SDK also
  // honours the other standard OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER...).
  OTEL_EXPORTER_OTLP_ENDPOINT: url.optional(),
});

export interface Telemetry {
  /** Flushes the spans not yet exported, then stops; run last on shutdown. */
  shutdown(): Promise<void>;
}

/** Health probes are frequent and say nothing about a call: never traced. */
const PROBE_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Starts OpenTelemetry tracing for `serviceName` when OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test
 * gives its own span processors), with auto-instrumentation of HTTP (incoming and outgoing, W3C
 * `traceparent` in and out), Express, pg and ioredis. Returns undefined, having loaded nothing,
 * when neither is given.
 */
export function startTelemetry(options: {
  serviceName: string;
  source?: Record<string, string | undefined>;
  /** Instead of the OTLP exporter (tests: an InMemorySpanExporter behind a SimpleSpanProcessor). */
  spanProcessors?: SpanProcessor[];
}): Telemetry | undefined {
  const env = loadEnv(telemetryEnvSchema, options.source ?? process.env);
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !options.spanProcessors) return undefined;
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    // Without span processors the SDK builds the OTLP exporter from OTEL_EXPORTER_OTLP_* itself.
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    // Traces only: metrics are Prometheus's (METRICS_PORT), logs are pino's.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => PROBE_PATHS.has((req.url ?? '').split('?')[0] ?? '') }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
