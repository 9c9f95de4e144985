import { Link } from 'react-aria-components';
import { Navigate } from 'react-router';
import { homePath, useSession } from '../api/session';

/** Also what a member of one tenant sees at another tenant's address: nothing says whether it exists. */
export function NotFoundPage() {
  return (
    <main id="main" className="centered-page">
      <h1>Page not found</h1>
      <p>This page does not exist, or you do not have access to it.</p>
      <Link href="/">Go to your console</Link>
    </main>
  );
}

export function NoAccessPage() {
  return (
    <main id="main" className="centered-page">
      <h1>No team yet</h1>
      <p>
        Your account is not a member of any business. Ask an owner of your business to invite you, then open the link in the invitation.
      </p>
      <Link href="/account">Your account</Link>
    </main>
  );
}

export function HomeRedirect() {
  const session = useSession();
  return session.data ? <Navigate to={homePath(session.data)} replace /> : null;
}
