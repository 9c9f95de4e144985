import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import pino from 'pino';
import type { Level, Logger } from 'pino';
import { runWithRequestId } from './request-context';

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id (see requestLogger); set for every request past the health routes. */
    id?: string;
    /** Logger carrying `requestId`, and `customer_id` once service auth identified the tenant. */
    log?: Logger;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

// Incoming ids are echoed into logs and headers, so only accept short, plain ones.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (the caller's x-request-id when it sent a sane one, else a new UUID,
 * echoed back in the response header) and `req.log`, a child logger carrying it; middleware adds
 * bindings to it (`customer_id` after service auth, `callSid` in the gateway). When the response
 * is finished (or the connection closed first) one "request completed" line is logged through
 * `req.log`, at info, warn for 4xx and error for 5xx, with the tenant, the request (headers
 * redacted by the logger), the status and the time taken.
 *
 * Written here rather than taken from pino-http, which builds two more child loggers per request
 * and serializes and redacts the whole request into them whether or not the line is ever
 * written. Here nothing is serialized unless the level is enabled.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    req.id = requestId;
    const log = logger.child({ requestId });
    req.log = log;
    const started = performance.now();

    const onDone = () => {
      res.off('finish', onDone);
      res.off('close', onDone);
      const level: Level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) return;
      // The tenant, when service auth identified one but nothing bound it to req.log yet.
      const customerId = (res.locals as { auth?: { customerId?: number } } | undefined)?.auth?.customerId;
      const tenant = customerId !== undefined && log.bindings().customer_id === undefined ? { customer_id: customerId } : {};
      log[level](
        {
          ...tenant,
          req: pino.stdSerializers.req(req),
          res: { statusCode: res.statusCode, completed: res.writableFinished },
          responseTime: Math.round(performance.now() - started),
        },
        'request completed',
      );
    };
    res.on('finish', onDone);
    res.on('close', onDone);
    // Everything below this middleware runs inside the request's context (currentRequestId).
    runWithRequestId(requestId, () => next());
  };
}
