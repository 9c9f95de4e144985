import { CONSOLE_LINK_PATHS } from '@neurosphere/contracts';
import type { OnboardTenantResponse, platformTenantsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { consoleLink, invitationMail } from '../domain/mail/mail-texts';
import { offboardTenant } from '../domain/offboarding/offboard-tenant';
import { onboardTenant } from '../domain/onboarding/onboard-tenant';
import { adminActor } from '../domain/shared/actor';
import { listTenantHealth } from '../domain/tenants/tenant-health';
import { listTenants } from '../domain/tenants/list-tenants';
import { setTenantStatus } from '../domain/tenants/set-tenant-status';
import { setTenantTemplate } from '../domain/tenants/set-tenant-template';
import { updateTenantDetails } from '../domain/tenants/update-tenant-details';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): every one runs through withPlatform, audited. */
export function platformTenantsRoutes(deps: RouteDeps): ContractImplementation<typeof platformTenantsContract> {
  const { platformDb, operations } = deps;
  return {
    onboardTenant: async ({ headers, body, res }) => {
      const result = await onboardTenant({
        platformDb,
        operations,
        actor: adminActor(adminOf(res).id),
        idempotencyKey: headers['idempotency-key'],
        document: body,
      });
      if (result.status === 200) res.setHeader('idempotent-replayed', 'true');
      else result.body.owner_invitation.mailed = await mailOwnerInvitation(deps, result.body);
      return result;
    },
    updateTenantDetails: async ({ params, body, res }) => {
      const tenant = await updateTenantDetails({ platformDb, actorId: adminOf(res).id, customerId: params.customerId, changes: body });
      return { status: 200, body: { success: true, tenant } };
    },
    offboardTenant: async ({ params, body, res }) => {
      const result = await offboardTenant({
        platformDb,
        operations,
        actorId: adminOf(res).id,
        customerId: params.customerId,
        dryRun: body.dry_run,
        confirmBusinessName: body.confirm_business_name,
      });
      return { status: 200, body: result };
    },
    listTenantHealth: async ({ query, res }) => {
      const page = await listTenantHealth({ platformDb, actorId: adminOf(res).id, publicBaseUrl: operations.publicBaseUrl, ...query });
      return { status: 200, body: { success: true, tenants: page.tenants, next_cursor: page.nextCursor } };
    },
    listTenants: async ({ query, res }) => {
      const page = await listTenants({ platformDb, actorId: adminOf(res).id, ...query });
      return { status: 200, body: { success: true, tenants: page.tenants, next_cursor: page.nextCursor } };
    },
    suspendTenant: async ({ params, body, res }) => {
      const tenant = await setTenantStatus({
        platformDb,
        actorId: adminOf(res).id,
        customerId: params.customerId,
        status: 'suspended',
        message: body.message,
      });
      return { status: 200, body: { success: true, tenant } };
    },
    resumeTenant: async ({ params, res }) => {
      const tenant = await setTenantStatus({ platformDb, actorId: adminOf(res).id, customerId: params.customerId, status: 'active' });
      return { status: 200, body: { success: true, tenant } };
    },
    setTenantTemplate: async ({ params, body, res }) => {
      const tenant = await setTenantTemplate({ platformDb, actorId: adminOf(res).id, customerId: params.customerId, ...body });
      return { status: 200, body: { success: true, tenant } };
    },
  };
}

/**
 * Mails the new owner their invitation link, as a team invitation is mailed. The invitation is
 * committed already, so a mail server that is down loses nothing: the token is in the answer.
 */
async function mailOwnerInvitation(deps: RouteDeps, onboarded: OnboardTenantResponse): Promise<boolean> {
  const { owner_invitation: invitation, tenant } = onboarded;
  if (!invitation.token || !deps.mailer.configured) return false;
  const link = consoleLink(deps.settings.consoleUrl, CONSOLE_LINK_PATHS.acceptInvitation, invitation.token);
  const mail = await deps.mailer.send(
    invitationMail({
      to: invitation.email,
      businessName: tenant.business_name,
      role: 'owner',
      link,
      expiresAt: new Date(invitation.expires_at),
    }),
  );
  return mail.sent;
}
