import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { useSession } from '../../api/session';
import { DataTable } from '../../components/data-table';
import { ConfirmButton, ErrorNotice, formatDateTime, Loading, PageHeader, SuccessNotice, TextInput } from '../../components/ui';

const ADMINS_KEY = ['platform', 'admins'] as const;

/** Who runs the platform. The API refuses to remove the last platform admin; its message is shown as it is. */
export function PlatformAdminsPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const admins = useQuery({ queryKey: ADMINS_KEY, queryFn: () => ok(api.platform.listPlatformAdmins()) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ADMINS_KEY });
  const remove = useMutation({
    mutationFn: (adminId: string) => ok(api.platform.removePlatformAdmin({ params: { adminId }, body: {} })),
    onSettled: refresh,
  });
  return (
    <>
      <PageHeader title="Platform admins" />
      <AddAdminForm onAdded={refresh} />
      <ErrorNotice error={admins.error ?? remove.error} />
      {admins.isPending ? <Loading what="platform admins" /> : null}
      {admins.data ? (
        <DataTable
          caption="Platform admins"
          captionHidden
          rows={admins.data.admins}
          rowKey={(admin) => admin.id}
          columns={[
            { header: 'Email', cell: (admin) => `${admin.email}${admin.id === session.data?.id ? ' (you)' : ''}` },
            { header: 'Password', cell: (admin) => (admin.has_password ? 'Set' : 'Not set yet') },
            { header: 'Last sign-in', cell: (admin) => formatDateTime(admin.last_login_at) },
            {
              header: 'Actions',
              cell: (admin) => (
                <ConfirmButton
                  label={`Remove ${admin.email}`}
                  title="Remove this platform admin?"
                  confirmLabel="Remove"
                  onConfirm={() => remove.mutate(admin.id)}
                >
                  {admin.email} loses platform admin rights at once (their memberships of businesses stay).
                </ConfirmButton>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}

function AddAdminForm({ onAdded }: { onAdded: () => unknown }) {
  const [email, setEmail] = useState('');
  const add = useMutation({
    mutationFn: () => ok(api.platform.addPlatformAdmin({ body: { email } })),
    onSuccess: () => {
      setEmail('');
      return onAdded();
    },
  });
  const token = add.data?.set_password_token;
  return (
    <section aria-labelledby="add-admin-heading" className="card">
      <h2 id="add-admin-heading">Add a platform admin</h2>
      <Form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <TextInput label="Email" type="email" isRequired value={email} onChange={setEmail} />
        <Button type="submit" className="button button-primary" isDisabled={add.isPending}>
          Add admin
        </Button>
      </Form>
      <ErrorNotice error={add.error} />
      {add.data ? (
        token ? (
          <SuccessNotice>
            {add.data.admin.email} is a platform admin. Give them this one-time link to choose a password (it is shown only now):{' '}
            <code className="break-all" data-testid="set-password-url">
              {`${window.location.origin}/reset-password#token=${encodeURIComponent(token)}`}
            </code>
          </SuccessNotice>
        ) : (
          <SuccessNotice>{add.data.admin.email} is a platform admin; they sign in with their own password.</SuccessNotice>
        )
      ) : null}
    </section>
  );
}
