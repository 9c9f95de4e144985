import { getAuth } from '@neurosphere/auth';
import type { SmsRouteMetadata } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { RequestHandler } from 'express';

/**
 * The one authorization check of the sms API: the verified token's issuer must be listed in the
 * route's contract metadata (`allowedCallers`). A route that declares no callers is refused, so a
 * route added without thinking about who may call it fails closed. Runs after authenticateService.
 */
export const requireAllowedCaller: RequestHandler = (req, res, next) => {
  const route = (req as { tsRestRoute?: { method: string; path: string; metadata?: unknown } }).tsRestRoute;
  const allowed = (route?.metadata as Partial<SmsRouteMetadata> | undefined)?.allowedCallers ?? [];
  const { issuer } = getAuth(res);
  if (!allowed.includes(issuer)) {
    next(new AppError('FORBIDDEN', `Service ${issuer} may not call ${route ? `${route.method} ${route.path}` : 'this route'}`));
    return;
  }
  next();
};
