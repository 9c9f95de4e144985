import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Incoming ids are echoed into logs and headers, so only accept short, plain ones.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Logs each request once when it completes, with `requestId` (the caller's x-request-id when it
 * sent a sane one, else a new UUID, echoed back in the response header) and `customer_id` once
 * service auth has identified the tenant. Handlers log through `req.log`, which carries the same ids.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req, res) => {
      const incoming = req.headers[REQUEST_ID_HEADER];
      const requestId = typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader(REQUEST_ID_HEADER, requestId);
      return requestId;
    },
    customProps: (_req, res) => {
      const customerId = (res as unknown as { locals?: Express.Locals }).locals?.auth?.customerId;
      return customerId === undefined ? {} : { customer_id: customerId };
    },
    customLogLevel: (_req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
  });
}
