/** Every error code the platform puts on the wire, and the one place that maps them to HTTP statuses. */
export const HTTP_STATUS_BY_CODE = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof HTTP_STATUS_BY_CODE;

/** One field-level problem of a failed validation. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The wire shape of every error response. */
export interface ErrorBody {
  success: false;
  error: string;
  code: ErrorCode;
  details?: ErrorDetail[];
}

/**
 * The one error class services throw for expected failures. `message` goes to the caller as is
 * (write it for them), except for INTERNAL, which is always answered with a bare 500.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  /** Sent as Retry-After: when the caller may try again (a dependency that is down, a rate limit). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }
}
