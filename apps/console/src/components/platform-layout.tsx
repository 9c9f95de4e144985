import { Outlet } from 'react-router';
import { useSession } from '../api/session';
import { NotFoundPage } from '../pages/not-found';
import { Frame } from './app-shell';

const PLATFORM_NAV = [
  { to: '/platform/admin/tenants', label: 'Tenants' },
  { to: '/platform/admin/templates', label: 'Templates' },
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
