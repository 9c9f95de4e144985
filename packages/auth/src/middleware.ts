import type { Request, RequestHandler, Response } from 'express';
import { createServiceTokenVerifier, ServiceAuthError } from './verify';
import type { ServiceAuth, ServiceTokenVerifierOptions } from './verify';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by the service-auth middleware; read it through `getAuth(res)`. */
      auth?: ServiceAuth;
    }
  }
}

export interface TenantCheckOptions {
  /** Answer 400 when neither the query nor the JSON body carries customer_id. */
  requireCustomerIdInRequest?: boolean;
}

export type ServiceAuthOptions = ServiceTokenVerifierOptions & TenantCheckOptions;

/**
 * Express middleware for service-to-service routes: verifies the bearer token, then refuses any
 * request whose query or body names a different tenant than the token. On success
 * `res.locals.auth` holds the caller; failures answer 401/403/400 in the platform error shape.
 * Mount it after the JSON body parser so the body's customer_id is checked too.
 */
export function createServiceAuth(options: ServiceAuthOptions): RequestHandler {
  const verify = createServiceTokenVerifier(options);
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!match?.[1]) {
      sendError(res, 401, 'UNAUTHENTICATED', 'Missing bearer token');
      return;
    }
    let auth: ServiceAuth;
    try {
      auth = await verify(match[1]);
    } catch (error) {
      if (!(error instanceof ServiceAuthError)) throw error;
      sendError(res, 401, 'UNAUTHENTICATED', error.message);
      return;
    }
    if (rejectForeignTenant(req, res, auth.customerId, options)) return;
    res.locals.auth = auth;
    next();
  };
}

/**
 * The tenant check on its own, for routers that parse the body after `createServiceAuth` ran.
 * `createServiceAuth` already applies it to whatever was parsed at that point.
 */
export function requireMatchingTenant(options: TenantCheckOptions = {}): RequestHandler {
  return (req, res, next) => {
    if (!rejectForeignTenant(req, res, getAuth(res).customerId, options)) next();
  };
}

/** The verified caller. Throws when the auth middleware did not run, so a mis-wired route fails closed. */
export function getAuth(res: Response): ServiceAuth {
  const auth = res.locals.auth;
  if (!auth) throw new Error('getAuth: service auth middleware did not run for this route');
  return auth;
}

const TENANT_KEYS = ['customer_id', 'customerId'] as const;

/** Sends the error and returns true when the request names a tenant other than `customerId`. */
function rejectForeignTenant(req: Request, res: Response, customerId: number, options: TenantCheckOptions): boolean {
  const claimed: unknown[] = [];
  const body: unknown = req.body;
  const sources = [req.query as Record<string, unknown>, isRecord(body) ? body : {}];
  for (const source of sources) {
    for (const key of TENANT_KEYS) {
      const value = source[key];
      if (value === undefined) continue;
      claimed.push(...(Array.isArray(value) ? value : [value]));
    }
  }
  if (claimed.length === 0) {
    if (!options.requireCustomerIdInRequest) return false;
    sendError(res, 400, 'BAD_REQUEST', 'customer_id is required for multi-tenant security');
    return true;
  }
  if (claimed.every((value) => toTenantId(value) === customerId)) return false;
  sendError(res, 403, 'FORBIDDEN', 'customer_id does not match the authenticated tenant');
  return true;
}

/** Accepts a JSON number or a numeric string (query strings are text); anything else never matches. */
function toTenantId(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendError(res: Response, status: number, code: string, error: string): void {
  res.status(status).json({ success: false, error, code });
}
