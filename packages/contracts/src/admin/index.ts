import { initContract } from '@ts-rest/core';
import { healthContract } from '../health';
import { accountContract } from './account';
import { adminAuthContract } from './auth';
import { joinAreas } from './join-areas';
import { platformTemplatesContract } from './platform-templates';
import { platformTenantsContract } from './platform-tenants';
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
export * from './tenant-hours';
export * from './tenant-knowledge';
export * from './tenant-voice-preview';
export * from './tenant-team';
export * from './tenant-api-keys';
export * from './tenant-inbox';
export * from './notification-events';
export * from './tenant-notifications';
export * from './tenant-texting';

const c = initContract();

/** The routes the admin-api mounts (health is served separately by every app). */
export const adminApiContract = c.router({
  auth: joinAreas('auth', adminAuthContract, accountContract),
  platform: joinAreas('platform', platformTenantsContract, platformTemplatesContract),
  tenant: joinAreas(
    'tenant',
    tenantSettingsContract,
    tenantCallsContract,
    tenantCallersContract,
    tenantUsageContract,
    tenantAuditContract,
    tenantHoursContract,
    tenantKnowledgeContract,
    tenantVoicePreviewContract,
    tenantTeamContract,
    tenantApiKeysContract,
    tenantInboxContract,
    tenantNotificationsContract,
    tenantTextingContract,
  ),
});

/** The admin service's HTTP API, health routes included (the OpenAPI document's source). */
export const adminContract = c.router({
  health: healthContract,
  ...adminApiContract,
});
