import { adminRouteAccessSchema } from '@neurosphere/contracts';
import type { AdminPrincipal, AdminRouteAccess, MembershipRoleName } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import { isAppRoute } from '@ts-rest/core';
import type { Db } from '@neurosphere/db';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AdminTokenError } from '../domain/auth/admin-token';
import type { AdminTokens } from '../domain/auth/admin-token';
import type { AuthenticatedApiKey } from '../domain/api-keys/authenticate-api-key';
import type { SessionRevocations } from '../domain/sessions/session-revocations';
import type { TenantCommand } from '../domain/shared/tenant-command';
import { adminActor } from '../domain/shared/actor';
import type { SessionCookies } from './session-cookies';

/**
 * Who is calling, once authenticated: an admin session (bearer access token or the console's
 * cookie) or a tenant API key.
 */
export type Principal =
  | { kind: 'session'; admin: AdminPrincipal; sessionId: string; transport: 'bearer' | 'cookie' }
  | { kind: 'api_key'; apiKey: AuthenticatedApiKey };

/** How a request reached a tenant route's tenant. */
export interface TenantGrant {
  customerId: number;
  /** The role the grant acts with; null for API keys (their scopes decide). */
  role: MembershipRoleName | null;
  via: 'membership' | 'api_key' | 'support';
  /** Set by a support-session grant (issue 15); absent otherwise. */
  support?: { sessionId: string; writesAllowed: boolean };
}

export type TenantRouteAccess = Extract<AdminRouteAccess, { access: 'tenant' }>;

/**
 * THE extension point for support sessions (a platform admin working inside a tenant they are not
 * a member of). The middleware calls it only for a session principal with no membership in the
 * path's tenant, before answering 404. Return a grant to let the request through (the route's role
 * is still checked against `grant.role`, so a read-only support session can return 'viewer', or
 * refuse writes itself by throwing AppError('FORBIDDEN', ...)); return null for the usual 404.
 * The implementation owns its auditing (e.g. `res.on('finish', ...)` to write each read to both
 * audit logs) and can read the grant back with `tenantOf(res)`.
 */
export interface TenantAccessExtension {
  grantWithoutMembership(request: {
    admin: AdminPrincipal;
    sessionId: string;
    customerId: number;
    access: TenantRouteAccess;
    req: AuthorizedRequest;
    res: Response;
  }): Promise<TenantGrant | null>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Who is calling; read it through `principalOf(res)`, `adminOf(res)` or `actorOf(res)`. */
      principal?: Principal;
      /** The tenant of a `tenant` route and how it was reached; read it through `tenantOf(res)`. */
      tenant?: TenantGrant;
    }
  }
}

/** What the middleware reads of a ts-rest request (structural, so it fits every route's request type). */
export type AuthorizedRequest = Pick<Request, 'get' | 'log' | 'method' | 'cookies' | 'path'> & { tsRestRoute: AppRoute; params: unknown };

const ROLE_RANK: Record<MembershipRoleName, number> = { viewer: 0, admin: 1, owner: 2 };
const API_KEY_PREFIX = 'nsk_';

export function principalOf(res: Response): Principal {
  const principal = res.locals.principal;
  if (!principal) throw new Error('principalOf: the route was not authorized');
  return principal;
}

/** The admin of a session. Throws when authorization did not run or the caller is an API key (routes that call this refuse API keys). */
export function adminOf(res: Response): AdminPrincipal {
  const principal = principalOf(res);
  if (principal.kind !== 'session') throw new Error('adminOf: the caller is not an admin session');
  return principal.admin;
}

/** The session of the caller (logout, password change). */
export function sessionOf(res: Response): Extract<Principal, { kind: 'session' }> {
  const principal = principalOf(res);
  if (principal.kind !== 'session') throw new Error('sessionOf: the caller is not an admin session');
  return principal;
}

/** How the caller appears in audit rows: admin:<id> or api_key:<id>. */
export function actorOf(res: Response): string {
  const principal = principalOf(res);
  return principal.kind === 'session' ? adminActor(principal.admin.id) : `api_key:${principal.apiKey.id}`;
}

/** THE tenant of a tenant route (from the checked grant, never from the body). */
export function tenantOf(res: Response): TenantGrant {
  const tenant = res.locals.tenant;
  if (!tenant) throw new Error('tenantOf: the route was not authorized as a tenant route');
  return tenant;
}

/** The command of a tenant write: the checked tenant and the caller as the audit actor. */
export function tenantCommand(db: Db, res: Response): TenantCommand {
  return { db, customerId: tenantOf(res).customerId, actor: actorOf(res) };
}

export interface AuthorizeDeps {
  tokens: AdminTokens;
  revocations: SessionRevocations;
  cookies: SessionCookies;
  /** Finds the tenant API key a bearer token names, or null. */
  authenticateApiKey(token: string): Promise<AuthenticatedApiKey | null>;
  tenantAccess?: TenantAccessExtension;
}

/**
 * The one authorization middleware: resolves the principal (a bearer access token, the session
 * cookie with its CSRF check, or an API key) and enforces each route's `metadata.access` from the
 * contract (see packages/contracts/src/admin/shared.ts). Runs before request validation, so nobody
 * learns anything about a route's input rules without the right to call it. A tenant the caller
 * has no grant for answers 404 exactly like a tenant that does not exist.
 */
export function authorizeAdminRoute(deps: AuthorizeDeps) {
  return async (req: AuthorizedRequest, res: Response, next: NextFunction): Promise<void> => {
    const access = adminRouteAccessSchema.safeParse(req.tsRestRoute.metadata);
    if (!access.success) throw new Error(`route ${req.tsRestRoute.method} ${req.tsRestRoute.path} declares no valid access metadata`);
    if (access.data.access === 'public') return next();

    const principal = await authenticate(req, deps);
    res.locals.principal = principal;
    req.log?.setBindings(principal.kind === 'session' ? { admin_user_id: principal.admin.id } : { api_key_id: principal.apiKey.id });

    if (access.data.access !== 'tenant') {
      if (principal.kind === 'api_key') throw new AppError('FORBIDDEN', 'API keys cannot call this route: it needs an admin session');
      if (access.data.access === 'platform' && !principal.admin.is_platform_admin) {
        throw new AppError('FORBIDDEN', 'This route needs a platform admin');
      }
      return next();
    }

    const customerId = parseCustomerId(req.params);
    if (customerId === undefined) throw new AppError('NOT_FOUND', 'Tenant not found');
    const grant = await grantTenant(principal, customerId, access.data, req, res, deps.tenantAccess);
    res.locals.tenant = grant;
    req.log?.setBindings({ customer_id: customerId });
    return next();
  };
}

async function grantTenant(
  principal: Principal,
  customerId: number,
  access: TenantRouteAccess,
  req: AuthorizedRequest,
  res: Response,
  extension: TenantAccessExtension | undefined,
): Promise<TenantGrant> {
  if (principal.kind === 'api_key') {
    const { apiKey } = principal;
    if (apiKey.customerId !== customerId) throw new AppError('NOT_FOUND', 'Tenant not found');
    if (!access.scope) throw new AppError('FORBIDDEN', 'API keys cannot call this route: it needs an admin session');
    if (!apiKey.scopes.includes(access.scope)) throw new AppError('FORBIDDEN', `This API key lacks the scope ${access.scope}`);
    return { customerId, role: null, via: 'api_key' };
  }

  const membership = principal.admin.memberships.find((candidate) => candidate.customer_id === customerId);
  const grant: TenantGrant | null = membership
    ? { customerId, role: membership.role, via: 'membership' }
    : ((await extension?.grantWithoutMembership({
        admin: principal.admin,
        sessionId: principal.sessionId,
        customerId,
        access,
        req,
        res,
      })) ?? null);
  if (!grant || grant.customerId !== customerId) throw new AppError('NOT_FOUND', 'Tenant not found');
  if (grant.role === null || ROLE_RANK[grant.role] < ROLE_RANK[access.role]) {
    throw new AppError('FORBIDDEN', `This route needs the ${access.role} role for this tenant; you have ${grant.role ?? 'none'}`);
  }
  return grant;
}

/**
 * For the few plain Express routes outside the contract (the operator's queue view): an admin
 * session of a platform admin, authenticated exactly as contract routes are; anything else is
 * refused (401 without a session, 403 for an API key or any other admin).
 */
export function requirePlatformAdmin(deps: AuthorizeDeps): RequestHandler {
  return async (req, res, next) => {
    const principal = await authenticate(req, deps);
    if (principal.kind !== 'session' || !principal.admin.is_platform_admin)
      throw new AppError('FORBIDDEN', 'This page needs a platform admin');
    res.locals.principal = principal;
    req.log?.setBindings({ admin_user_id: principal.admin.id });
    next();
  };
}

async function authenticate(req: Pick<Request, 'get' | 'log' | 'method' | 'cookies' | 'path'>, deps: AuthorizeDeps): Promise<Principal> {
  const authorization = req.get('authorization');
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Malformed Authorization header: send "Bearer <token>"');
    const token = match[1];
    if (token.startsWith(API_KEY_PREFIX)) {
      const apiKey = await deps.authenticateApiKey(token);
      if (!apiKey) throw new AppError('UNAUTHENTICATED', 'Invalid or revoked API key');
      return { kind: 'api_key', apiKey };
    }
    const { principal, sessionId } = await verifyAccessToken(token, deps);
    return { kind: 'session', admin: principal, sessionId, transport: 'bearer' };
  }

  const fromCookie = deps.cookies.access(req);
  if (fromCookie === undefined)
    throw new AppError('UNAUTHENTICATED', 'Not signed in: send an access token, an API key or the session cookie');
  const { principal, sessionId } = await verifyAccessToken(fromCookie, deps);
  const csrfProblem = deps.cookies.checkCsrf(req, sessionId);
  if (csrfProblem) throw new AppError('FORBIDDEN', csrfProblem);
  return { kind: 'session', admin: principal, sessionId, transport: 'cookie' };
}

async function verifyAccessToken(token: string, deps: AuthorizeDeps) {
  let verified;
  try {
    verified = await deps.tokens.verify(token);
  } catch (error) {
    if (error instanceof AdminTokenError) throw new AppError('UNAUTHENTICATED', error.message);
    throw error;
  }
  let ended: boolean;
  try {
    ended = await deps.revocations.isRevoked(verified.sessionId);
  } catch (error) {
    // Fail closed: without the list of ended sessions, no access token is taken on trust.
    throw new AppError('UNAVAILABLE', 'Sessions cannot be checked right now; try again shortly', { cause: error });
  }
  if (ended) throw new AppError('UNAUTHENTICATED', 'This session has ended: sign in again');
  return verified;
}

/** Refuses to mount a contract with a route that forgot to declare its access (fail closed at boot). */
export function assertEveryRouteDeclaresAccess(router: AppRouter): void {
  for (const entry of Object.values(router)) {
    if (isAppRoute(entry)) {
      if (!adminRouteAccessSchema.safeParse(entry.metadata).success) {
        throw new Error(`admin route ${entry.method} ${entry.path} declares no valid metadata.access`);
      }
    } else {
      assertEveryRouteDeclaresAccess(entry);
    }
  }
}

const customerIdParamSchema = z.object({ customerId: z.string().regex(/^\d{1,10}$/) });

function parseCustomerId(params: unknown): number | undefined {
  const parsed = customerIdParamSchema.safeParse(params);
  if (!parsed.success) return undefined;
  const id = Number(parsed.data.customerId);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
