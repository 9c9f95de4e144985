import { Outlet } from 'react-router';
import { useSession } from '../api/session';
import { NotFoundPage } from '../pages/not-found';
import { Frame } from './app-shell';

const PLATFORM_NAV = [
  { to: '/platform/admin/tenants', label: 'Tenants' },
  { to: '/platform/admin/onboarding', label: 'Onboard a business' },
  { to: '/platform/admin/templates', label: 'Templates' },
  { to: '/platform/admin/usage', label: 'Usage' },
  { to: '/platform/admin/audit-log', label: 'Audit log' },
  { to: '/platform/admin/admins', label: 'Platform admins' },
];

export function PlatformLayout() {
  const session = useSession();
  if (!session.data?.is_platform_admin) return <NotFoundPage />;
  return (
    <Frame title="Platform admin" nav={PLATFORM_NAV}>
      <Outlet />
    </Frame>
  );
}
