import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { ErrorNotice, Loading, SuccessNotice, NewPasswordInput } from '../../components/ui';
import { takeLinkToken } from './link-token';

export function AcceptInvitationPage() {
  const [token] = useState(takeLinkToken);
  const [password, setPassword] = useState('');
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => ok(api.auth.previewInvitation({ body: { token: token! } })),
    enabled: token !== null,
    retry: false,
  });
  const accept = useMutation({
    mutationFn: () =>
      ok(api.auth.acceptInvitation({ body: { token: token!, ...(preview.data?.invitation.needs_password ? { password } : {}) } })),
  });
  const invitation = preview.data?.invitation;
  return (
    <main id="main" className="centered-page">
      <h1>Join your team</h1>
      {!token ? <p>This page opens from the link in an invitation mail. Ask the owner who invited you to send it again.</p> : null}
      {preview.isPending && token ? <Loading what="the invitation" /> : null}
      <ErrorNotice error={preview.error} />
      {accept.isSuccess ? (
        <>
          <SuccessNotice>You joined {invitation?.business_name}.</SuccessNotice>
          <p>
            <Link href="/login">Sign in</Link>
          </p>
        </>
      ) : invitation ? (
        <Form
          className="stack"
          onSubmit={(event) => {
            event.preventDefault();
            accept.mutate();
          }}
        >
          <p>
            {invitation.email} is invited to {invitation.business_name} as {invitation.role}.
          </p>
          <ErrorNotice error={accept.error} />
          {invitation.needs_password ? <NewPasswordInput label="Choose a password" value={password} onChange={setPassword} /> : null}
          <Button type="submit" className="button button-primary" isDisabled={accept.isPending}>
            Accept the invitation
          </Button>
        </Form>
      ) : null}
    </main>
  );
}
