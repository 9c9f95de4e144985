import type { MembershipRoleName } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { atLeast, useSession } from '../../api/session';
import { RoleSelect, roleLabel } from '../../components/role-select';
import { tenantQueryKey, useTenant } from '../../components/tenant-layout';
import { ConfirmButton, ErrorNotice, formatDateTime, Loading, PageHeader, SuccessNotice, TextInput } from '../../components/ui';

export function TeamPage() {
  const { customerId, role } = useTenant();
  const session = useSession();
  const queryClient = useQueryClient();
  const isOwner = atLeast(role, 'owner');
  const teamKey = tenantQueryKey(customerId, 'team');
  const team = useQuery({ queryKey: teamKey, queryFn: () => ok(api.tenant.listMembers({ params: { customerId } })) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: teamKey });
  const changeRole = useMutation({
    mutationFn: (change: { memberId: string; role: MembershipRoleName }) =>
      ok(api.tenant.changeMemberRole({ params: { customerId, memberId: change.memberId }, body: { role: change.role } })),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (memberId: string) => ok(api.tenant.removeMember({ params: { customerId, memberId } })),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (invitationId: string) => ok(api.tenant.revokeInvitation({ params: { customerId, invitationId } })),
    onSettled: refresh,
  });
  return (
    <>
      <PageHeader title="Team" />
      <ErrorNotice error={team.error ?? changeRole.error ?? remove.error ?? revoke.error} />
      {team.isPending ? <Loading what="the team" /> : null}
      {isOwner ? <InviteForm customerId={customerId} onInvited={refresh} /> : <p className="muted">Only owners can invite people or change roles.</p>}
      {team.data ? (
        <>
          <div className="table-wrap">
            <table>
              <caption>Members</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last sign-in</th>
                  {isOwner ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {team.data.members.map((member) => (
                  <tr key={member.id}>
                    <th scope="row">
                      {member.email}
                      {member.admin_user_id === session.data?.id ? ' (you)' : ''}
                    </th>
                    <td>
                      {isOwner ? (
                        <RoleSelect
                          label={`Role of ${member.email}`}
                          hideLabel
                          value={member.role}
                          isDisabled={changeRole.isPending}
                          onChange={(next) => next !== member.role && changeRole.mutate({ memberId: member.id, role: next })}
                        />
                      ) : (
                        roleLabel(member.role)
                      )}
                    </td>
                    <td>{formatDateTime(member.last_login_at)}</td>
                    {isOwner ? (
                      <td>
                        <ConfirmButton
                          label={`Remove ${member.email}`}
                          title="Remove this member?"
                          confirmLabel="Remove"
                          onConfirm={() => remove.mutate(member.id)}
                        >
                          {member.email} loses access to this business at once.
                        </ConfirmButton>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {team.data.invitations.length > 0 ? (
            <div className="table-wrap">
              <table>
                <caption>Pending invitations</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Expires</th>
                    {isOwner ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {team.data.invitations.map((invitation) => (
                    <tr key={invitation.id}>
                      <th scope="row">{invitation.email}</th>
                      <td>{roleLabel(invitation.role)}</td>
                      <td>{formatDateTime(invitation.expires_at)}</td>
                      {isOwner ? (
                        <td>
                          <Button className="button button-danger-quiet" onPress={() => revoke.mutate(invitation.id)}>
                            Withdraw invitation to {invitation.email}
                          </Button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}

function InviteForm({ customerId, onInvited }: { customerId: number; onInvited: () => unknown }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MembershipRoleName>('viewer');
  const invite = useMutation({
    mutationFn: () => ok(api.tenant.inviteMember({ params: { customerId }, body: { email, role } })),
    onSuccess: () => {
      setEmail('');
      return onInvited();
    },
  });
  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">Invite someone</h2>
      <Form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate();
        }}
      >
        <TextInput label="Email" type="email" isRequired value={email} onChange={setEmail} />
        <RoleSelect label="Role" value={role} onChange={setRole} />
        <Button type="submit" className="button button-primary" isDisabled={invite.isPending}>
          Send invitation
        </Button>
      </Form>
      <ErrorNotice error={invite.error} />
      {invite.data ? (
        invite.data.mail_sent ? (
          <SuccessNotice>Invitation mailed to {invite.data.invitation.email}.</SuccessNotice>
        ) : (
          <SuccessNotice>
            The mail could not be sent. Give {invite.data.invitation.email} this one-time link yourself:{' '}
            <code className="break-all" data-testid="invitation-url">
              {invite.data.invitation_url}
            </code>
          </SuccessNotice>
        )
      ) : null}
    </section>
  );
}
