import type { MembershipRoleName } from '@neurosphere/contracts';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useOutletContext, useParams } from 'react-router';
import { api, ok } from '../api/client';
import { atLeast, roleIn, useSession } from '../api/session';
import { NotFoundPage } from '../pages/not-found';
import { Frame } from './app-shell';

/** What every tenant page gets from the layout: the tenant and the signed-in admin's role in it. */
export interface TenantContext {
  customerId: number;
  role: MembershipRoleName;
}

/** The tenant areas; each is shown to members with at least `minimumRole` (the API enforces the same). */
const TENANT_NAV: { path: string; label: string; minimumRole: MembershipRoleName; end?: boolean }[] = [
  { path: '', label: 'Home', minimumRole: 'viewer', end: true },
  { path: 'calls', label: 'Calls', minimumRole: 'viewer' },
  { path: 'callers', label: 'Callers', minimumRole: 'viewer' },
  { path: 'inbox', label: 'Inbox', minimumRole: 'viewer' },
  { path: 'settings', label: 'Agent settings', minimumRole: 'viewer' },
  { path: 'texting', label: 'Texting', minimumRole: 'viewer' },
  { path: 'usage', label: 'Usage', minimumRole: 'viewer' },
  { path: 'team', label: 'Team', minimumRole: 'admin' },
  { path: 'audit-log', label: 'Audit log', minimumRole: 'admin' },
];

export function tenantQueryKey(customerId: number, ...rest: unknown[]) {
  return ['tenant', customerId, ...rest];
}

export function TenantLayout() {
  const { customerId: raw } = useParams();
  const session = useSession();
  const customerId = Number(raw);
  const role = session.data && Number.isInteger(customerId) && customerId > 0 ? roleIn(session.data, customerId) : null;
  const settings = useQuery({
    queryKey: tenantQueryKey(customerId, 'settings'),
    queryFn: () => ok(api.tenant.getSettings({ params: { customerId } })),
    enabled: role !== null,
  });
  // Not a member: the same page as for a tenant that does not exist, and no request is made for it.
  if (role === null) return <NotFoundPage />;
  const base = `/customer/${customerId}/admin`;
  const nav = TENANT_NAV.filter((item) => atLeast(role, item.minimumRole)).map((item) => ({
    to: item.path ? `${base}/${item.path}` : base,
    label: item.label,
    end: item.end,
  }));
  const context: TenantContext = { customerId, role };
  return (
    <Frame title={settings.data?.settings.business_name ?? 'Your business'} nav={nav}>
      <Outlet context={context} />
    </Frame>
  );
}

export function useTenant(): TenantContext {
  return useOutletContext<TenantContext>();
}
