import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../../api/client';
import { homePath, SESSION_QUERY_KEY, useSession } from '../../api/session';
import { ErrorNotice, TextInput } from '../../components/ui';

/** Only paths of this console, so a crafted ?next= cannot send the user elsewhere after signing in. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useSession();
  const login = useMutation({
    mutationFn: () => ok(api.auth.login({ body: { email, password, session: 'cookie' } })),
    onSuccess: async (answer) => {
      queryClient.clear();
      queryClient.setQueryData(SESSION_QUERY_KEY, answer.user);
      await navigate(safeNext(params.get('next')) ?? homePath(answer.user), { replace: true });
    },
  });
  if (session.data && !login.isPending) return <Navigate to={homePath(session.data)} replace />;
  return (
    <main id="main" className="centered-page">
      <h1>Sign in</h1>
      <Form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          login.mutate();
        }}
      >
        <ErrorNotice error={login.error} />
        <TextInput label="Email" type="email" name="email" autoComplete="username" isRequired value={email} onChange={setEmail} />
        <TextInput
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          isRequired
          value={password}
          onChange={setPassword}
        />
        <Button type="submit" className="button button-primary" isDisabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </Form>
      <p>
        <Link href="/reset-password">Forgot your password?</Link>
      </p>
    </main>
  );
}
