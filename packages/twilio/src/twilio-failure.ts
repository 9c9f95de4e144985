import twilio from 'twilio';

export interface TwilioFailure {
  /** Worth retrying: Twilio 429/5xx, timeouts and network errors. */
  retryable: boolean;
  /** Twilio's HTTP status; undefined when Twilio never answered (network error, timeout). */
  status: number | undefined;
  /** Twilio's error code (e.g. "21211"), else "HTTP_<status>" or "NETWORK_ERROR". */
  code: string;
  message: string;
}

/**
 * Sorts a failed Twilio request. A RestException carries Twilio's HTTP status and error code: 429
 * and 5xx are transient, any other 4xx (21211 invalid number, 21422 number not available, 20003
 * bad credentials, ...) is permanent. Anything without an HTTP status never reached Twilio's
 * answer: a network error or timeout, retried.
 */
export function classifyTwilioError(error: unknown): TwilioFailure {
  const status = error instanceof twilio.RestException || hasNumericStatus(error) ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined) return { retryable: true, status, code: 'NETWORK_ERROR', message };
  const twilioCode = (error as { code?: unknown }).code;
  const code =
    typeof twilioCode === 'number' || (typeof twilioCode === 'string' && twilioCode !== '') ? String(twilioCode) : `HTTP_${status}`;
  return { retryable: status === 429 || status >= 500, status, code, message };
}

function hasNumericStatus(error: unknown): error is { status: number } {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number';
}
