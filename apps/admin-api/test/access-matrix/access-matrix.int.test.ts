import { adminApiContract, adminRouteAccessSchema, apiKeyScopes } from '@neurosphere/contracts';
import type { AdminRouteAccess, ApiKeyScope, MembershipRoleName } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import { uniqueSuffix } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import { isAppRoute } from '@ts-rest/core';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createApiKey } from '../../src/domain/api-keys/create-api-key';
import { createAdmin, startFakeOrchestrator, startPlatformHarness } from '../harness';
import type { FakeOrchestrator, PlatformHarness, TestAdmin } from '../harness';
import { startFakeMemory } from '../fake-memory';
import type { SeededTenant } from './fixture-types';
import { seedMatrixTenant } from './seed-tenant';
import { ACCESS_FIXTURE_FILES, accessFixtures } from './fixtures';
import { insertSupportSession } from './fixtures/support';

/**
 * The access matrix: EVERY route of the admin contract (found by walking the router, so a new
 * route is in it without anyone listing it) is called as every kind of caller, and the status
 * class must be what the route's metadata.access promises: 2xx when allowed, 401 without
 * credentials, 403 for too little (role, platform flag, API-key scope), 404 for a tenant the
 * caller has nothing to do with. Allowed calls use the route's example request
 * (./fixtures/<area>.ts), so a route without a valid example fails here. No answer to a caller may
 * contain the other tenant's data.
 */

interface ContractRoute {
  key: string;
  route: AppRoute;
  access: AdminRouteAccess;
}

function walk(router: AppRouter, prefix: string[] = []): ContractRoute[] {
  return Object.entries(router).flatMap(([name, entry]) => {
    const key = [...prefix, name].join('.');
    if (!isAppRoute(entry)) return walk(entry, [...prefix, name]);
    const access = adminRouteAccessSchema.parse(entry.metadata);
    return [{ key, route: entry, access }];
  });
}

const ROUTES = walk(adminApiContract);

/** The state of a platform admin's support session on the subject tenant. */
type SupportState = 'none' | 'open' | 'ended' | 'expired';

/** Who calls. */
type Caller =
  | { name: string; kind: 'anonymous' }
  | { name: string; kind: 'platform_admin' }
  | { name: string; kind: 'member'; role: MembershipRoleName }
  | { name: string; kind: 'other_tenant_user' }
  | { name: string; kind: 'api_key'; hasScope: boolean }
  /** A platform admin with a support session on the subject tenant; called on tenant routes only (elsewhere it is just a platform admin). */
  | { name: string; kind: 'support'; session: SupportState };

const CALLERS: Caller[] = [
  { name: 'no credentials', kind: 'anonymous' },
  { name: 'a platform admin', kind: 'platform_admin' },
  { name: 'the owner', kind: 'member', role: 'owner' },
  { name: 'an admin', kind: 'member', role: 'admin' },
  { name: 'a viewer', kind: 'member', role: 'viewer' },
  { name: "another tenant's owner", kind: 'other_tenant_user' },
  { name: 'an API key with the scope', kind: 'api_key', hasScope: true },
  { name: 'an API key without the scope', kind: 'api_key', hasScope: false },
  { name: 'a platform admin without a support session', kind: 'support', session: 'none' },
  { name: 'a platform admin in an open support session', kind: 'support', session: 'open' },
  { name: 'a platform admin whose support session was ended', kind: 'support', session: 'ended' },
  { name: 'a platform admin whose support session expired', kind: 'support', session: 'expired' },
];

const RANK: Record<MembershipRoleName, number> = { viewer: 0, admin: 1, owner: 2 };

/** The status a caller must get, from the route's declared access (and, in support, its method) alone. */
function expectedStatus(access: AdminRouteAccess, method: string, caller: Caller): '2xx' | 401 | 403 | 404 {
  if (access.access === 'public') return '2xx';
  if (caller.kind === 'anonymous') return 401;
  if (access.access === 'authenticated') return caller.kind === 'api_key' ? 403 : '2xx';
  if (access.access === 'platform') return caller.kind === 'platform_admin' ? '2xx' : 403;
  switch (caller.kind) {
    case 'platform_admin':
    case 'other_tenant_user':
      return 404;
    case 'member':
      return RANK[caller.role] >= RANK[access.role] ? '2xx' : 403;
    case 'api_key':
      return access.scope && caller.hasScope ? '2xx' : 403;
    case 'support':
      // Reads in an open session see what the tenant sees; writes are refused until an owner grants them.
      if (caller.session !== 'open') return 404;
      return method === 'GET' ? '2xx' : 403;
  }
}

describe('access matrix: every admin route, every kind of caller', () => {
  let harness: PlatformHarness;
  let orchestrator: FakeOrchestrator;
  let tenant: SeededTenant;
  let other: SeededTenant;
  let platformAdmin: TestAdmin;
  /** The memory service, for caller erasure: answers like memory's erasure route. */
  let fakeMemory: FakeServer;
  const members = new Map<MembershipRoleName, TestAdmin>();
  const supportAdmins = new Map<SupportState, TestAdmin>();
  /** The open session's id: every read in it must be in both audit logs. */
  let openSupportSessionId: string;
  const apiKeys = new Map<string, string>();

  /** A key of the subject tenant with exactly `scopes` (made once per set). */
  async function apiKeyWith(scopes: ApiKeyScope[]): Promise<string> {
    const name = scopes.join(',');
    let key = apiKeys.get(name);
    if (!key) {
      ({ key } = await createApiKey({ db: harness.db, customerId: tenant.customerId, actor: 'test', name: `Matrix ${name}`, scopes }));
      apiKeys.set(name, key);
    }
    return key;
  }

  /** The Authorization header of a caller for a route (a fresh session id each time, so a logout ends nothing else). */
  async function authorization(caller: Caller, access: AdminRouteAccess): Promise<{ header?: string; admin: TestAdmin | null }> {
    const session = async (admin: TestAdmin) => ({ header: `Bearer ${await harness.tokens.sign(admin.principal, randomUUID())}`, admin });
    switch (caller.kind) {
      case 'anonymous':
        return { admin: null };
      case 'platform_admin':
        return session(platformAdmin);
      case 'member':
        return session(members.get(caller.role) as TestAdmin);
      case 'other_tenant_user':
        return session(other.owner);
      case 'support':
        return session(supportAdmins.get(caller.session) as TestAdmin);
      case 'api_key': {
        const needed = access.access === 'tenant' ? access.scope : undefined;
        const scopes = caller.hasScope && needed ? [needed] : apiKeyScopes.filter((scope) => scope !== needed);
        return { header: `Bearer ${await apiKeyWith(scopes)}`, admin: null };
      }
    }
  }

  /** Whether a support read of `path` is in the tenant's audit log and the platform audit log. */
  async function supportReadAudited(path: string): Promise<boolean> {
    const details = { path: ['path'], equals: path };
    const [tenantRows, platformRows] = await withPlatform(harness.platformDb, { actor: 'test', action: 'test.read' }, (tx) =>
      Promise.all([
        tx.auditLog.count({
          where: { customerId: tenant.customerId, action: 'support.read', target: `support_session:${openSupportSessionId}`, details },
        }),
        tx.platformAuditLog.count({ where: { customerId: tenant.customerId, action: 'support.read', details } }),
      ]),
    );
    return tenantRows > 0 && platformRows > 0;
  }

  beforeAll(async () => {
    // The voice preview asks the orchestrator; a fake one answers, so allowed callers get a 2xx.
    orchestrator = await startFakeOrchestrator();
    const memory = await startFakeMemory();
    fakeMemory = memory.server;
    harness = await startPlatformHarness({ orchestrator: orchestrator.client, memory: memory.erasure });
    [tenant, other] = await Promise.all([seedMatrixTenant(harness, 'A'), seedMatrixTenant(harness, 'B')]);
    platformAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true, password: true });
    members.set('owner', tenant.owner);
    for (const role of ['admin', 'viewer'] as const) {
      members.set(role, await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId: tenant.customerId, role }] }));
    }
    for (const state of ['none', 'open', 'ended', 'expired'] as const) {
      const admin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
      supportAdmins.set(state, admin);
      if (state === 'none') continue;
      const sessionId = await insertSupportSession(harness, {
        customerId: tenant.customerId,
        adminUserId: admin.principal.id,
        ...(state === 'ended' ? { endedAt: new Date() } : {}),
        ...(state === 'expired' ? { expiresAt: new Date(Date.now() - 1000) } : {}),
      });
      if (state === 'open') openSupportSessionId = sessionId;
    }
  });
  afterAll(async () => {
    await harness.close();
    await orchestrator.close();
    await fakeMemory?.close();
  });

  it('has an example request for every route, and none for a route that does not exist', () => {
    const missing = ROUTES.filter(({ key }) => !(key in accessFixtures)).map(({ key, route }) => `${key} (${route.method} ${route.path})`);
    const stale = Object.keys(accessFixtures).filter((key) => !ROUTES.some((route) => route.key === key));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it.each(ROUTES.map((entry) => [entry.key, entry] as const))('%s', async (key, { route, access }) => {
    const fixture = accessFixtures[key];
    if (!fixture) {
      throw new Error(
        `access matrix: no example request for ${key} (${route.method} ${route.path}); add one, keyed '${key}', to its area's file in ${ACCESS_FIXTURE_FILES}`,
      );
    }
    const failures: string[] = [];
    const exampleFor = (admin: TestAdmin | null) =>
      fixture({ harness, tenant, other, caller: admin, unique: `${uniqueSuffix()}${uniqueSuffix()}` });
    // A refused call never reaches the handler, so refused callers share one example; each allowed call gets its own.
    let refusedExample: ReturnType<typeof exampleFor> | undefined;
    for (const caller of CALLERS) {
      if (caller.kind === 'support' && access.access !== 'tenant') continue;
      const { header, admin } = await authorization(caller, access);
      const expected = expectedStatus(access, route.method, caller);
      const example = expected === '2xx' ? await exampleFor(admin) : await (refusedExample ??= exampleFor(admin));
      const params: Record<string, string> = { customerId: String(tenant.customerId), ...example.params };
      const path = route.path.replace(/:(\w+)/g, (_match, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`access matrix: the example for ${key} gives no path parameter "${name}"`);
        return encodeURIComponent(value);
      });
      let call = request(harness.app)[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
      if (header) call = call.set('authorization', header);
      for (const [name, value] of Object.entries(example.headers ?? {})) call = call.set(name, value);
      if (example.query) call = call.query(example.query);
      const response = await (example.body === undefined ? call : call.send(example.body as object));

      const ok = expected === '2xx' ? response.status >= 200 && response.status < 300 : response.status === expected;
      if (!ok) {
        const hint = expected === '2xx' ? ` (is the example request in ${ACCESS_FIXTURE_FILES} valid for this route?)` : '';
        failures.push(`as ${caller.name}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)}${hint}`);
      }
      if (caller.kind === 'support' && caller.session === 'open') {
        if (expected === '2xx' && !(await supportReadAudited(path)))
          failures.push(`as ${caller.name}: the read of ${path} is missing from an audit log`);
        if (expected === 403 && !/read-only/.test(JSON.stringify(response.body)))
          failures.push(`as ${caller.name}: the refused write does not say the session is read-only`);
      }
      // Platform admins see every tenant on platform routes by design, and the other tenant's own
      // user sees itself (e.g. GET /v1/auth/me); nobody else ever sees the other tenant's data.
      const mayBeCrossTenant =
        (caller.kind === 'platform_admin' && access.access === 'platform') ||
        (caller.kind === 'other_tenant_user' && access.access !== 'tenant');
      if (!mayBeCrossTenant) {
        const text = JSON.stringify(response.body);
        const leaked = other.markers.filter((marker) => text.includes(marker));
        if (leaked.length > 0) failures.push(`as ${caller.name}: the answer contains the other tenant's data (${leaked.join(', ')})`);
      }
    }
    expect(failures).toEqual([]);
  });
});
