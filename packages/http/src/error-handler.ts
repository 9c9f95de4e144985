import { RequestValidationError } from '@ts-rest/express';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import type { ZodIssue } from 'zod';
import { AppError, HTTP_STATUS_BY_CODE } from './errors';
import type { ErrorBody, ErrorDetail } from './errors';

const INTERNAL_BODY: ErrorBody = { success: false, error: 'Internal server error', code: 'INTERNAL' };

/** Turns zod issues into wire details; `prefix` names where the value came from ("body", "query"). */
export function zodIssuesToDetails(issues: readonly ZodIssue[], prefix?: string): ErrorDetail[] {
  return issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path].join('.') || '(root)',
    message: issue.message,
  }));
}

/** A VALIDATION_FAILED error whose message names the first offending field. */
export function validationError(details: ErrorDetail[]): AppError {
  const first = details[0];
  const message = first ? `Invalid ${first.path}: ${first.message}` : 'Invalid request';
  return new AppError('VALIDATION_FAILED', message, { details });
}

/**
 * Maps anything thrown by a route to a status and the platform's wire shape. Only AppError,
 * zod and body-parser errors say what went wrong; everything else is a bare 500.
 */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    if (error.code === 'INTERNAL') return { status: 500, body: INTERNAL_BODY };
    const body: ErrorBody = { success: false, error: error.message, code: error.code };
    if (error.details) body.details = error.details;
    return { status: error.status, body };
  }
  if (error instanceof ZodError) return toErrorResponse(validationError(zodIssuesToDetails(error.issues)));
  if (error instanceof RequestValidationError) {
    const details = [
      ...zodIssuesToDetails(error.pathParams?.issues ?? [], 'params'),
      ...zodIssuesToDetails(error.headers?.issues ?? [], 'headers'),
      ...zodIssuesToDetails(error.query?.issues ?? [], 'query'),
      ...zodIssuesToDetails(error.body?.issues ?? [], 'body'),
    ];
    return toErrorResponse(validationError(details));
  }
  const bodyParserError = asBodyParserError(error);
  if (bodyParserError) return toErrorResponse(bodyParserError);
  return { status: 500, body: INTERNAL_BODY };
}

/**
 * body-parser (express.json) marks its errors with `type` and a 4xx `status`, except a body that
 * fails to inflate: that is zlib's own error (code Z_*), given a 400 status and no type.
 */
function asBodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = 'status' in error ? error.status : undefined;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // Express's router could not decode a path parameter (%ED%A0%80 is no UTF-8 character).
  if (error instanceof URIError)
    return new AppError('BAD_REQUEST', 'A path parameter is not valid percent-encoded UTF-8', { cause: error });
  if ('code' in error && typeof error.code === 'string' && error.code.startsWith('Z_') && error instanceof Error) {
    return new AppError('BAD_REQUEST', 'Request body could not be decoded: it is not what its Content-Encoding says', { cause: error });
  }
  if (!('type' in error) || typeof error.type !== 'string') return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('BAD_REQUEST', 'Request body is not valid JSON', { cause: error });
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large', { cause: error });
    default:
      return new AppError('BAD_REQUEST', error instanceof Error ? error.message : 'Malformed request', { cause: error });
  }
}

/** Final error middleware: answers in the wire shape and logs what the caller is not told. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status, body } = toErrorResponse(error);
    if (error instanceof AppError && error.retryAfterSeconds !== undefined && status !== 500) {
      res.setHeader('retry-after', String(Math.ceil(error.retryAfterSeconds)));
    }
    const log = req.log ?? logger;
    if (status >= 500) {
      log.error({ err: error }, 'request failed');
    } else {
      log.debug({ err: error, code: body.code }, 'request rejected');
    }
    res.status(status).json(body);
  };
}

/** Answers unknown routes with a 404 in the wire shape. Mount after all routes. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = { success: false, error: `Route ${req.method} ${req.path} not found`, code: 'NOT_FOUND' };
  res.status(HTTP_STATUS_BY_CODE.NOT_FOUND).json(body);
};
