import { UpstreamError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { TimeoutError } from '../lib/timeout';
import type { Dependency, FailureKind, OrchestratorMetrics } from './metrics';

const TIMEOUT_NAMES = new Set(['TimeoutError', 'AbortError', 'APIConnectionTimeoutError', 'ElevenLabsTimeoutError']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * Sorts a thrown error into the counter's `kind` without depending on one SDK's classes. Duck-typed,
 * not `instanceof Error`: fetch errors come from Node's own realm, SDK errors wrap them in `cause`.
 */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof UpstreamError)
    return error.reason === 'timeout' ? 'timeout' : error.reason === 'unreachable' ? 'unavailable' : 'error';
  for (let current: unknown = error, depth = 0; isErrorLike(current) && depth < 5; depth++) {
    if (TIMEOUT_NAMES.has(current.name)) return 'timeout';
    if (typeof current.code === 'string' && CONNECTION_CODES.has(current.code)) return 'unavailable';
    if (current.name === 'APIConnectionError' || current.name === 'MaxRetriesPerRequestError') return 'unavailable';
    if (current.message === 'Connection is closed.' || current.message === 'fetch failed') return 'unavailable';
    current = current.cause;
  }
  return 'error';
}

function isErrorLike(value: unknown): value is { name: string; message: string; code?: unknown; cause?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

export interface FailureReporter {
  /** Counts and logs one failed dependency call; returns the kind for the caller's own decisions. */
  dependencyFailed(options: {
    dependency: Dependency;
    error: unknown;
    customerId?: number;
    callSid?: string;
    operation: string;
  }): FailureKind;
  /** Counts an answer that took a fallback path. */
  degraded(reason: string): void;
  /**
   * The caller got a fallback instead of the agent's answer (out of time, model or call state
   * unavailable): counted like `degraded`, and recorded for the tenant (fallback_answers) without
   * the call waiting for it.
   */
  answeredWithFallback(entry: FallbackAnswerEntry): void;
}

/** One answer a caller got on a fallback path, for its tenant. */
export interface FallbackAnswerEntry {
  customerId: number;
  callSid: string;
  /** Why: turn_budget_exceeded, model_unavailable, ... */
  reason: string;
}

/** Stores one fallback answer for its tenant (recordFallbackAnswer); absent: counted only. */
export type FallbackAnswerRecorder = (entry: FallbackAnswerEntry) => Promise<void>;

/**
 * Every degradation is counted and logged the same way (`event: "degraded"`), so operators can
 * alert on the counter and find the calls in the logs.
 */
export function createFailureReporter(
  metrics: OrchestratorMetrics,
  logger: Logger,
  recordFallback?: FallbackAnswerRecorder,
): FailureReporter {
  return {
    dependencyFailed({ dependency, error, customerId, callSid, operation }) {
      const kind = failureKind(error);
      metrics.dependencyFailures.inc({ dependency, kind });
      logger.warn(
        {
          event: 'degraded',
          dependency,
          kind,
          operation,
          customer_id: customerId,
          callSid,
          reason: error instanceof Error ? error.message : String(error),
        },
        `${dependency} ${kind} during ${operation}`,
      );
      return kind;
    },
    degraded(reason) {
      metrics.degradedAnswers.inc({ reason });
    },
    answeredWithFallback(entry) {
      metrics.degradedAnswers.inc({ reason: entry.reason });
      recordFallback?.(entry).catch((error: unknown) => {
        logger.warn(
          {
            event: 'degraded',
            dependency: 'postgres',
            customer_id: entry.customerId,
            callSid: entry.callSid,
            reason: entry.reason,
            err: error,
          },
          'could not record a fallback answer',
        );
      });
    },
  };
}
