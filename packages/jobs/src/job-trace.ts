import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/**
 * Where a job's data carries the trace it was queued in: the W3C `traceparent` (and `tracestate`)
 * of the producer's active span, so the worker's span continues the request that queued it.
 * Absent when tracing is off (no propagator is registered, inject writes nothing).
 */
const TRACE_KEYS = ['traceparent', 'tracestate'] as const;

/** The payload plus the active trace context, for queue.add. */
export function withTraceContext<T extends object>(payload: T): T & { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const trace: Record<string, string> = {};
  for (const key of TRACE_KEYS) if (carrier[key]) trace[key] = carrier[key];
  return { ...payload, ...trace };
}

/** Job data without the trace keys (what the payload schema checks), and the context they name. */
export function splitTraceContext(data: unknown): { payload: unknown; parent: Context } {
  if (typeof data !== 'object' || data === null || !('traceparent' in data)) return { payload: data, parent: ROOT_CONTEXT };
  const { traceparent, tracestate, ...payload } = data as Record<string, unknown>;
  const carrier: Record<string, string> = {};
  if (typeof traceparent === 'string') carrier.traceparent = traceparent;
  if (typeof tracestate === 'string') carrier.tracestate = tracestate;
  return { payload, parent: propagation.extract(ROOT_CONTEXT, carrier) };
}

const tracer = trace.getTracer('@neurosphere/jobs');

/** Runs one attempt of a job in a consumer span that continues the producer's trace. */
export function inJobSpan<T>(
  parent: Context,
  queueName: string,
  jobName: string,
  attributes: Record<string, string | number>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(`${queueName} process ${jobName}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
