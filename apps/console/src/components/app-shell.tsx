import type { ReactNode } from 'react';
import { Button, Link, RouterProvider as AriaRouterProvider } from 'react-aria-components';
import { Navigate, NavLink, Outlet, useHref, useLocation, useNavigate } from 'react-router';
import type { NavigateOptions } from 'react-router';
import { api, ok } from '../api/client';
import { useForgetSession, useSession } from '../api/session';
import { ErrorNotice, Loading } from './ui';

declare module 'react-aria-components' {
  interface RouterConfig {
    routerOptions: NavigateOptions;
  }
}

/** Lets React Aria's links and buttons navigate through React Router (no full page loads). */
export function AppShell() {
  const navigate = useNavigate();
  return (
    <AriaRouterProvider navigate={(to, options) => void navigate(to, options)} useHref={useHref}>
      <Outlet />
    </AriaRouterProvider>
  );
}

/** Pages below need a signed-in admin; others go to the sign-in page and come back after. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading what="your session" />;
  if (session.isError) return <ErrorNotice error={session.error} />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

export interface NavItem {
  to: string;
  label: string;
  /** Current only on this very page, not below it (an area's home). */
  end?: boolean;
}

/** The frame of every signed-in page: a skip link, the top bar with the user's menu, the area's navigation. */
export function Frame({ title, nav, banner, children }: { title: string; nav: NavItem[]; banner?: ReactNode; children: ReactNode }) {
  const session = useSession();
  const forget = useForgetSession();
  const navigate = useNavigate();
  const signOut = async () => {
    // The cookies are cleared by the API; whatever it answers, this tab forgets the user.
    await ok(api.auth.logout({ body: {} })).catch(() => undefined);
    forget();
    await navigate('/login');
  };
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">{title}</span>
        <div className="topbar-user">
          <Link href="/account" className="quiet-link">
            {session.data?.email}
          </Link>
          <Button className="button" onPress={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      {banner}
      <div className="frame-body">
        <nav aria-label="Sections" className="sidenav">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
