import { createBrowserRouter, Navigate } from 'react-router';
import { AppShell, RequireSession } from './components/app-shell';
import { PlatformLayout } from './components/platform-layout';
import { TenantLayout } from './components/tenant-layout';
import { AcceptInvitationPage } from './pages/account/accept-invitation';
import { AccountPage } from './pages/account/account';
import { LoginPage } from './pages/account/login';
import { ResetPasswordPage } from './pages/account/reset-password';
import { HomeRedirect, NoAccessPage, NotFoundPage } from './pages/not-found';
import { PlatformAdminsPage } from './pages/platform/admins';
import { PlatformAuditLogPage } from './pages/platform/audit-log';
import { PlatformOnboardingPage } from './pages/platform/onboarding';
import { PlatformTenantsPage } from './pages/platform/tenants';
import { PlatformUsagePage } from './pages/platform/usage';
import { PlatformTemplatesPage } from './pages/platform/templates';
import { AuditLogPage } from './pages/tenant/audit-log';
import { CallDetailPage } from './pages/tenant/call-detail';
import { CallerDetailPage } from './pages/tenant/caller-detail';
import { CallersPage } from './pages/tenant/callers';
import { CallsPage } from './pages/tenant/calls';
import { HomePage } from './pages/tenant/home';
import { InboxPage } from './pages/tenant/inbox';
import { InboxItemPage } from './pages/tenant/inbox-item';
import { SettingsPage } from './pages/tenant/settings';
import { TeamPage } from './pages/tenant/team';
import { TextingPage } from './pages/tenant/texting';
import { UsagePage } from './pages/tenant/usage';

/**
 * Every page of the console. A tenant area is one entry under `customer/:customerId/admin` (and
 * one line in TENANT_NAV, components/tenant-layout.tsx); a platform area one under `platform/admin`.
 */
export const router = createBrowserRouter([
  {
    element: <AppShell />,
    children: [
      { path: '/login', element: <LoginPage /> },
      { path: '/reset-password', element: <ResetPasswordPage /> },
      { path: '/accept-invitation', element: <AcceptInvitationPage /> },
      {
        element: <RequireSession />,
        children: [
          { index: true, element: <HomeRedirect /> },
          { path: '/no-access', element: <NoAccessPage /> },
          { path: '/account', element: <AccountPage /> },
          {
            path: '/customer/:customerId/admin',
            element: <TenantLayout />,
            children: [
              { index: true, element: <HomePage /> },
              { path: 'calls', element: <CallsPage /> },
              { path: 'calls/:callId', element: <CallDetailPage /> },
              { path: 'callers', element: <CallersPage /> },
              { path: 'callers/:callerId', element: <CallerDetailPage /> },
              { path: 'inbox', element: <InboxPage /> },
              { path: 'inbox/:itemId', element: <InboxItemPage /> },
              { path: 'settings', element: <SettingsPage /> },
              { path: 'texting', element: <TextingPage /> },
              { path: 'team', element: <TeamPage /> },
              { path: 'usage', element: <UsagePage /> },
              { path: 'audit-log', element: <AuditLogPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
          {
            path: '/platform/admin',
            element: <PlatformLayout />,
            children: [
              { index: true, element: <Navigate to="tenants" replace /> },
              { path: 'tenants', element: <PlatformTenantsPage /> },
              { path: 'templates', element: <PlatformTemplatesPage /> },
              { path: 'onboarding', element: <PlatformOnboardingPage /> },
              { path: 'usage', element: <PlatformUsagePage /> },
              { path: 'audit-log', element: <PlatformAuditLogPage /> },
              { path: 'admins', element: <PlatformAdminsPage /> },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
