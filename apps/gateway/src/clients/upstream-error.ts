import { ZodError } from 'zod';

/** Why a call to another service did not give a usable answer (a metrics label, so a small set). */
export type UpstreamFailureReason = 'timeout' | 'unreachable' | 'error_status' | 'not_found' | 'invalid_response';

/** Thrown by the client adapters: the caller decides the degraded answer, logs and counts. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';

  constructor(
    readonly service: 'orchestrator' | 'sms',
    readonly operation: string,
    readonly reason: UpstreamFailureReason,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }

  readonly status: number | undefined;
}

/** Maps what fetch / zod threw to an UpstreamError (timeouts abort through AbortSignal.timeout). */
export function toUpstreamError(service: UpstreamError['service'], operation: string, error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  // A body that is not the contract's (schema mismatch) or not even JSON.
  if (error instanceof ZodError || error instanceof SyntaxError) {
    return new UpstreamError(service, operation, 'invalid_response', `${service} ${operation} answered with an invalid body`, { cause: error });
  }
  // Not `instanceof Error`: fetch's DOMException comes from another realm under jest.
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new UpstreamError(service, operation, 'timeout', `${service} ${operation} timed out`, { cause: error });
  }
  return new UpstreamError(service, operation, 'unreachable', `${service} ${operation} failed: ${String(error)}`, { cause: error });
}

/** The error for a status the adapter cannot use. */
export function unexpectedStatus(service: UpstreamError['service'], operation: string, status: number, body: unknown): UpstreamError {
  const detail = typeof body === 'object' && body !== null && 'code' in body ? ` (${String((body as { code: unknown }).code)})` : '';
  return new UpstreamError(service, operation, status === 404 ? 'not_found' : 'error_status', `${service} ${operation} answered ${status}${detail}`, {
    status,
  });
}
