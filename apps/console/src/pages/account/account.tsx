import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useNavigate } from 'react-router';
import { api, ok } from '../../api/client';
import { homePath, useForgetSession, useSession } from '../../api/session';
import { ErrorNotice, PageHeader, SuccessNotice, NewPasswordInput, TextInput } from '../../components/ui';

export function AccountPage() {
  const session = useSession();
  const forget = useForgetSession();
  const navigate = useNavigate();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: () => ok(api.auth.changePassword({ body: { current_password: current, new_password: next } })),
  });
  const everywhere = useMutation({
    mutationFn: () => ok(api.auth.logoutAll({ body: {} })),
    onSuccess: async () => {
      forget();
      await navigate('/login');
    },
  });
  return (
    <main id="main" className="centered-page wide">
      <PageHeader title="Your account" />
      <p>
        Signed in as <strong>{session.data?.email}</strong>.{' '}
        {session.data ? <Link href={homePath(session.data)}>Back to the console</Link> : null}
      </p>
      <section aria-labelledby="password-heading" className="card">
        <h2 id="password-heading">Change your password</h2>
        {change.data ? <SuccessNotice>Password changed. Your other sessions were signed out.</SuccessNotice> : null}
        <Form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            change.mutate();
          }}
        >
          <ErrorNotice error={change.error} />
          <TextInput
            label="Current password"
            type="password"
            autoComplete="current-password"
            isRequired
            value={current}
            onChange={setCurrent}
          />
          <NewPasswordInput label="New password" value={next} onChange={setNext} />
          <Button type="submit" className="button button-primary" isDisabled={change.isPending}>
            Change password
          </Button>
        </Form>
      </section>
      <section aria-labelledby="sessions-heading" className="card">
        <h2 id="sessions-heading">Sessions</h2>
        <p>Signs you out on every device and browser, this one included.</p>
        <ErrorNotice error={everywhere.error} />
        <Button className="button" onPress={() => everywhere.mutate()} isDisabled={everywhere.isPending}>
          Sign out everywhere
        </Button>
      </section>
    </main>
  );
}
