import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';
import { startTelemetry } from '@neurosphere/http/telemetry';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { answerFor, createTenantWithTemplate, everyRouteOpenTo, publishInsuranceTemplate, startHarness } from '../test/harness';
import { threadIdFor } from './domain/callers/thread-id';

// Tracing is started before the harness builds anything, as src/instrument.ts does in each main.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'tracing-test', source: {}, spanProcessors: [new SimpleSpanProcessor({ exporter })] });

/**
 * One trace across services and the queue: inside an upstream request's span (standing in for the
 * orchestrator's), createServiceClient calls memory's process-call with its traceparent, memory's
 * request continues that trace and queues the summary with it, and the worker's job span
 * continues the same trace. (Jest loads modules past require hooks, so the http and express
 * auto-instrumentation is not active here; createServiceApp's own extraction carries the trace.)
 */
describe('tracing across services and the summarize job', () => {
  const kit = useHarness(() => startHarness({ callers: everyRouteOpenTo('orchestrator') }));

  afterAll(async () => {
    await telemetry?.shutdown();
  });

  it('does nothing, and loads no SDK, without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startTelemetry({ serviceName: 'off', source: {} })).toBeUndefined();
  });

  it('shares one trace id from the first request to the summarize job', async () => {
    const template = await publishInsuranceTemplate(kit.platformDb, 'insurance-tracing');
    const customerId = await createTenantWithTemplate(kit.platformDb, template);
    kit.fakeOpenAI.respondWith((chat) => ({ json: answerFor(chat, { summary: 'Asked about a policy.' }) }));
    await kit.startWorker();

    const memoryServer = createServer(kit.app).listen(0, '127.0.0.1');
    await once(memoryServer, 'listening');
    try {
      const memory = createServiceClient(memoryContract, {
        service: 'memory',
        baseUrl: `http://127.0.0.1:${(memoryServer.address() as AddressInfo).port}`,
        signer: { sign: () => kit.token(customerId) },
        timeoutMs: 5_000,
      });
      const callSid = uniqueCallSid();
      const userId = uniquePhone();
      // The upstream request's span (the orchestrator's, made by the http instrumentation in a real process).
      const upstreamTraceId = await trace.getTracer('test').startActiveSpan('POST /v1/calls/:callSid/end', async (span) => {
        try {
          const answer = await memory.call(
            'processCall',
            { customerId, callSid },
            (client, init) =>
              client.processCall({
                ...init,
                body: {
                  customer_id: customerId,
                  user_id: userId,
                  thread_id: threadIdFor(customerId, userId),
                  call_sid: callSid,
                  conversation_history: [{ role: 'caller', text: 'Hello' }],
                },
              }),
            202,
          );
          await kit.waitForJob(answer.body.job_id);
          return span.spanContext().traceId;
        } finally {
          span.end();
        }
      });

      const spans = await eventuallySpans((all) => all.some((span) => span.name === 'memory process process-call'));
      const jobSpan = spans.find((span) => span.name === 'memory process process-call')!;
      expect(jobSpan.spanContext().traceId).toBe(upstreamTraceId);
      expect(jobSpan.kind).toBe(SpanKind.CONSUMER);
      expect(jobSpan.parentSpanContext?.traceId).toBe(upstreamTraceId);
    } finally {
      memoryServer.closeAllConnections();
      memoryServer.close();
    }
  });
});

/** Polls the exporter until `done` holds for the finished spans (no fixed sleeps). */
async function eventuallySpans(done: (spans: ReadableSpan[]) => boolean): Promise<ReadableSpan[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const spans = exporter.getFinishedSpans();
    if (done(spans)) return spans;
    if (Date.now() > deadline) throw new Error(`spans never arrived; have: ${spans.map((span) => span.name).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
