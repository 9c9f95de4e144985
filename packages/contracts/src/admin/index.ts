import { initContract } from '@ts-rest/core';
import { healthContract } from '../health';
import { accountContract } from './account';
import { adminAuthContract } from './auth';
import { joinAreas } from './join-areas';
import { platformAdminsContract } from './platform-admins';
import { platformAuditContract } from './platform-audit';
import { platformNumbersContract } from './platform-numbers';
import { platformTemplatesContract } from './platform-templates';
import { platformTenantsContract } from './platform-tenants';
import { platformUsageContract } from './platform-usage';
import { platformSupportContract } from './platform-support';
import { tenantCredentialsContract } from './tenant-credentials';
import { tenantApiKeysContract } from './tenant-api-keys';
import { tenantAuditContract } from './tenant-audit';
import { tenantCallersContract } from './tenant-callers';
import { tenantCallsContract } from './tenant-calls';
import { tenantHoursContract } from './tenant-hours';
import { tenantKnowledgeContract } from './tenant-knowledge';
import { tenantInboxContract } from './tenant-inbox';
import { tenantNotificationsContract } from './tenant-notifications';
import { tenantTextingContract } from './tenant-texting';
import { tenantSettingsContract } from './tenant-settings';
import { tenantTeamContract } from './tenant-team';
import { tenantUsageContract } from './tenant-usage';
import { tenantSupportContract } from './tenant-support';
import { tenantVoicePreviewContract } from './tenant-voice-preview';

/**
 * The admin API: humans (platform staff and tenant admins) manage tenants. One file per area
 * (its schemas and its ts-rest router); this file only joins them. Who may call a route is
 * declared on the route itself (`metadata.access`, see shared.ts).
 */

export {
  ADMIN_PASSWORD_MIN_LENGTH,
  adminMembershipClaimSchema,
  adminPasswordSchema,
  adminPrincipalSchema,
  adminRouteAccessSchema,
  emailSchema,
  apiKeyScopes,
  apiKeyScopeSchema,
  instantQuerySchema,
  membershipRoleSchema,
  membershipRoles,
  tenantStatusSchema,
} from './shared';
export type { AdminMembershipClaim, AdminPrincipal, AdminRouteAccess, ApiKeyScope, MembershipRoleName } from './shared';
export * from './auth';
export * from './account';
export * from './platform-tenants';
export * from './platform-templates';
export * from './tenant-settings';
export * from './tenant-calls';
export * from './tenant-callers';
export * from './tenant-usage';
export * from './tenant-audit';
export * from './twilio-shared';
export * from './platform-numbers';
export * from './platform-admins';
export * from './platform-audit';
export * from './platform-usage';
export * from './tenant-credentials';
export * from './tenant-hours';
export * from './tenant-knowledge';
export * from './tenant-voice-preview';
export * from './tenant-team';
export * from './tenant-api-keys';
export * from './tenant-inbox';
export * from './notification-events';
export * from './tenant-notifications';
export * from './tenant-texting';
export * from './tenant-support';
export * from './platform-support';

const c = initContract();

/** The routes the admin-api mounts (health is served separately by every app). */
export const adminApiContract = c.router({
  auth: joinAreas('auth', adminAuthContract, accountContract),
  platform: joinAreas(
    'platform',
    platformTenantsContract,
    platformTemplatesContract,
    platformNumbersContract,
    platformAdminsContract,
    platformAuditContract,
    platformUsageContract,
    platformSupportContract,
  ),
  tenant: joinAreas(
    'tenant',
    tenantSettingsContract,
    tenantCallsContract,
    tenantCallersContract,
    tenantUsageContract,
    tenantAuditContract,
    tenantCredentialsContract,
    tenantHoursContract,
    tenantKnowledgeContract,
    tenantVoicePreviewContract,
    tenantTeamContract,
    tenantApiKeysContract,
    tenantInboxContract,
    tenantNotificationsContract,
    tenantTextingContract,
    tenantSupportContract,
  ),
});

/** The admin service's HTTP API, health routes included (the OpenAPI document's source). */
export const adminContract = c.router({
  health: healthContract,
  ...adminApiContract,
});
