import type { MembershipRoleName, PendingInvitation, TeamMember } from '@neurosphere/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { api, ok } from '../../api/client';
import { atLeast, useSession } from '../../api/session';
import { DataTable } from '../../components/data-table';
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
      {isOwner ? (
        <InviteForm customerId={customerId} onInvited={refresh} />
      ) : (
        <p className="muted">Only owners can invite people or change roles.</p>
      )}
      {team.data ? (
        <>
          <DataTable
            caption="Members"
            rows={team.data.members}
            rowKey={(member) => member.id}
            columns={[
              { header: 'Email', cell: (member) => `${member.email}${member.admin_user_id === session.data?.id ? ' (you)' : ''}` },
              {
                header: 'Role',
                cell: (member) =>
                  isOwner ? (
                    <RoleSelect
                      label={`Role of ${member.email}`}
                      hideLabel
                      value={member.role}
                      isDisabled={changeRole.isPending}
                      onChange={(next) => next !== member.role && changeRole.mutate({ memberId: member.id, role: next })}
                    />
                  ) : (
                    roleLabel(member.role)
                  ),
              },
              { header: 'Last sign-in', cell: (member) => formatDateTime(member.last_login_at) },
              ...(isOwner
                ? [
                    {
                      header: 'Actions',
                      cell: (member: TeamMember) => (
                        <ConfirmButton
                          label={`Remove ${member.email}`}
                          title="Remove this member?"
                          confirmLabel="Remove"
                          onConfirm={() => remove.mutate(member.id)}
                        >
                          {member.email} loses access to this business at once.
                        </ConfirmButton>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {team.data.invitations.length > 0 ? (
            <DataTable
              caption="Pending invitations"
              rows={team.data.invitations}
              rowKey={(invitation) => invitation.id}
              columns={[
                { header: 'Email', cell: (invitation) => invitation.email },
                { header: 'Role', cell: (invitation) => roleLabel(invitation.role) },
                { header: 'Expires', cell: (invitation) => formatDateTime(invitation.expires_at) },
                ...(isOwner
                  ? [
                      {
                        header: 'Actions',
                        cell: (invitation: PendingInvitation) => (
                          <Button className="button button-danger-quiet" onPress={() => revoke.mutate(invitation.id)}>
                            Withdraw invitation to {invitation.email}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
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
