import { getAuth } from '@neurosphere/auth';
import type { ServiceName } from '@neurosphere/auth';
import type { AppRoute } from '@ts-rest/core';
import type { NextFunction, Response } from 'express';
import { AppError } from './errors';

/**
 * For each route of a service's contract, the services whose clients call it. Each service keeps
 * its map in one file (`apps/<service>/src/routes/allowed-callers.ts`), typed over every route of
 * its contract, so a new route cannot be mounted without saying who calls it and a new caller is
 * one line. An empty list refuses every service.
 */
export type RouteCallers<Routes extends Record<string, AppRoute>> = { readonly [Name in keyof Routes]: readonly ServiceName[] };

/**
 * Every service that calls at least one route: the issuers the service's token check accepts at
 * all. A service that calls none is refused at authentication (401); one that calls other routes
 * is refused by `requireRouteCaller` (403).
 */
export function callersOfAnyRoute(callers: Record<string, readonly ServiceName[]>): ServiceName[] {
  return [...new Set(Object.values(callers).flat())].sort();
}

/**
 * Route middleware for ts-rest (global or per route), after `authenticateService`: lets the request
 * through only when the verified issuer is listed in `callers` (a RouteCallers map) for the route
 * of `contract` being called. A route the map does not name is refused too, so the check fails
 * closed.
 */
export function requireRouteCaller(
  contract: Record<string, AppRoute>,
  callers: Readonly<Record<string, readonly ServiceName[]>>,
): (req: object, res: Response, next: NextFunction) => void {
  const callersByRoute = new Map<AppRoute, readonly ServiceName[]>();
  for (const [name, route] of Object.entries(contract)) {
    const allowed = callers[name];
    if (allowed) callersByRoute.set(route, allowed);
  }
  // `req` is typed loosely so the handler fits both Express routes and ts-rest's typed middleware.
  return (req, res, next) => {
    // ts-rest marks each request with the contract route it matched, before any middleware runs.
    const route = (req as { tsRestRoute?: AppRoute }).tsRestRoute;
    const allowed = route ? (callersByRoute.get(route) ?? []) : [];
    const { issuer } = getAuth(res);
    if (!allowed.includes(issuer)) {
      next(new AppError('FORBIDDEN', `Service ${issuer} may not call ${route ? `${route.method} ${route.path}` : 'this route'}`));
      return;
    }
    next();
  };
}
