import { adminRouteAccessSchema } from '@neurosphere/contracts';
import type { AdminPrincipal, MembershipRoleName } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import { isAppRoute } from '@ts-rest/core';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { AdminTokenError } from '../domain/auth/admin-token';
import type { AdminTokens } from '../domain/auth/admin-token';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The admin user of a verified access token; read it through `adminOf(res)`. */
      admin?: AdminPrincipal;
      /** The tenant of a `tenant` route, checked against the admin's memberships; read it through `tenantOf(res)`. */
      tenant?: { customerId: number; role: MembershipRoleName };
    }
  }
}

/** What the middleware reads of a ts-rest request (structural, so it fits every route's request type). */
type AuthorizedRequest = Pick<Request, 'get' | 'log'> & { tsRestRoute: AppRoute; params: unknown };

const ROLE_RANK: Record<MembershipRoleName, number> = { viewer: 0, admin: 1, owner: 2 };

/** The authenticated admin. Throws when authorization did not run, so a mis-wired route fails closed. */
export function adminOf(res: Response): AdminPrincipal {
  const admin = res.locals.admin;
  if (!admin) throw new Error('adminOf: the route was not authorized');
  return admin;
}

/** THE tenant of a tenant route (from the checked membership, never from the body). */
export function tenantOf(res: Response): { customerId: number; role: MembershipRoleName } {
  const tenant = res.locals.tenant;
  if (!tenant) throw new Error('tenantOf: the route was not authorized as a tenant route');
  return tenant;
}

/**
 * The one authorization middleware: enforces each route's `metadata.access` from the contract
 * (see packages/contracts/src/admin/shared.ts). Runs before request validation, so nobody learns
 * anything about a route's input rules without the right to call it. A tenant the admin has no
 * membership in answers 404 exactly like a tenant that does not exist.
 */
export function authorizeAdminRoute(tokens: AdminTokens) {
  return async (req: AuthorizedRequest, res: Response, next: NextFunction): Promise<void> => {
    const access = adminRouteAccessSchema.safeParse(req.tsRestRoute.metadata);
    if (!access.success) throw new Error(`route ${req.tsRestRoute.method} ${req.tsRestRoute.path} declares no valid access metadata`);
    if (access.data.access === 'public') return next();

    const admin = await authenticate(req, tokens);
    res.locals.admin = admin;
    req.log?.setBindings({ admin_user_id: admin.id });

    switch (access.data.access) {
      case 'authenticated':
        return next();
      case 'platform':
        if (!admin.is_platform_admin) throw new AppError('FORBIDDEN', 'This route needs a platform admin');
        return next();
      case 'tenant': {
        const customerId = parseCustomerId(req.params);
        const membership = admin.memberships.find((candidate) => candidate.customer_id === customerId);
        if (customerId === undefined || !membership) throw new AppError('NOT_FOUND', 'Tenant not found');
        if (ROLE_RANK[membership.role] < ROLE_RANK[access.data.role]) {
          throw new AppError('FORBIDDEN', `This route needs the ${access.data.role} role for this tenant; you have ${membership.role}`);
        }
        res.locals.tenant = { customerId, role: membership.role };
        req.log?.setBindings({ customer_id: customerId });
        return next();
      }
    }
  };
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

async function authenticate(req: Pick<Request, 'get'>, tokens: AdminTokens): Promise<AdminPrincipal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Missing bearer token');
  try {
    return await tokens.verify(match[1]);
  } catch (error) {
    if (error instanceof AdminTokenError) throw new AppError('UNAUTHENTICATED', error.message);
    throw error;
  }
}

const customerIdParamSchema = z.object({ customerId: z.string().regex(/^\d{1,10}$/) });

function parseCustomerId(params: unknown): number | undefined {
  const parsed = customerIdParamSchema.safeParse(params);
  if (!parsed.success) return undefined;
  const id = Number(parsed.data.customerId);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
