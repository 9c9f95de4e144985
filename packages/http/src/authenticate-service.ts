import { createServiceAuth } from '@neurosphere/auth';
import type { ServiceAuthOptions } from '@neurosphere/auth';
import type { RequestHandler } from 'express';

/**
 * `createServiceAuth` from @neurosphere/auth plus the tenant on `req.log`, so every line a handler
 * logs carries `customer_id`. Prefer this one inside services.
 */
export function authenticateService(options: ServiceAuthOptions): RequestHandler {
  const verify = createServiceAuth(options);
  return (req, res, next) => {
    Promise.resolve(
      verify(req, res, (error?: unknown) => {
        if (error !== undefined) {
          next(error);
          return;
        }
        const auth = res.locals.auth;
        if (auth) req.log?.setBindings({ customer_id: auth.customerId });
        next();
      }),
    ).catch(next);
  };
}
