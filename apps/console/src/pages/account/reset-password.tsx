import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { ErrorNotice, SuccessNotice, NewPasswordInput, TextInput } from '../../components/ui';
import { takeLinkToken } from './link-token';

export function ResetPasswordPage() {
  const [token] = useState(takeLinkToken);
  return (
    <main id="main" className="centered-page">
      <h1>{token ? 'Choose a new password' : 'Reset your password'}</h1>
      {token ? <ConfirmReset token={token} /> : <RequestReset />}
      <p>
        <Link href="/login">Back to sign in</Link>
      </p>
    </main>
  );
}

function RequestReset() {
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: () => ok(api.auth.requestPasswordReset({ body: { email } })) });
  if (request.data) return <SuccessNotice>{request.data.message}</SuccessNotice>;
  return (
    <Form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        request.mutate();
      }}
    >
      <p>We will mail you a link to choose a new password.</p>
      <ErrorNotice error={request.error} />
      <TextInput label="Email" type="email" autoComplete="username" isRequired value={email} onChange={setEmail} />
      <Button type="submit" className="button button-primary" isDisabled={request.isPending}>
        Send the link
      </Button>
    </Form>
  );
}

function ConfirmReset({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const confirm = useMutation({ mutationFn: () => ok(api.auth.confirmPasswordReset({ body: { token, password } })) });
  if (confirm.isSuccess) return <SuccessNotice>Your password is changed. Sign in with it now.</SuccessNotice>;
  return (
    <Form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        confirm.mutate();
      }}
    >
      <ErrorNotice error={confirm.error} />
      <NewPasswordInput label="New password" value={password} onChange={setPassword} />
      <Button type="submit" className="button button-primary" isDisabled={confirm.isPending}>
        Set the password
      </Button>
    </Form>
  );
}
