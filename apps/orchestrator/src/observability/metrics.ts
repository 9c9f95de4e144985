import { Counter, Histogram, Registry } from 'prom-client';

/** What the orchestrator depends on during a call; the `dependency` label of the failure counter. */
export type Dependency = 'openai' | 'elevenlabs' | 'memory' | 'redis' | 'sms' | 'postgres' | 'byok';

/** timeout: no answer in time; unavailable: could not connect; error: answered with a failure. */
export type FailureKind = 'timeout' | 'unavailable' | 'error';

export interface OrchestratorMetrics {
  /** Exposed on GET /metrics. One registry per app instance, so tests never share counts. */
  registry: Registry;
  dependencyFailures: Counter<'dependency' | 'kind'>;
  /** Answers that left the normal path (apology, re-prompt after a failure, transfer/message fallback). */
  degradedAnswers: Counter<'reason'>;
  answerDuration: Histogram<'route'>;
}

export function createMetrics(): OrchestratorMetrics {
  const registry = new Registry();
  return {
    registry,
    dependencyFailures: new Counter({
      name: 'orchestrator_dependency_failures_total',
      help: 'Failed calls to a dependency during a phone call, by dependency and kind (timeout, unavailable, error)',
      labelNames: ['dependency', 'kind'],
      registers: [registry],
    }),
    degradedAnswers: new Counter({
      name: 'orchestrator_degraded_answers_total',
      help: 'Answers given on a fallback path instead of the normal one, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    answerDuration: new Histogram({
      name: 'orchestrator_answer_duration_seconds',
      help: 'Time to compute call instructions, by route (start, turn, transfer_result)',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5],
      registers: [registry],
    }),
  };
}
