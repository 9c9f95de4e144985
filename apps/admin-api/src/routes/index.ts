import type { adminApiContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { accountRoutes } from './account';
import { authRoutes } from './auth';
import { platformAdminsRoutes } from './platform-admins';
import { platformAuditRoutes } from './platform-audit';
import { platformNumbersRoutes } from './platform-numbers';
import { platformTemplatesRoutes } from './platform-templates';
import { platformTenantsRoutes } from './platform-tenants';
import { platformSupportRoutes } from './platform-support';
import { platformUsageRoutes } from './platform-usage';
import type { RouteDeps } from './route-deps';
import { tenantApiKeysRoutes } from './tenant-api-keys';
import { tenantAuditRoutes } from './tenant-audit';
import { tenantCallersRoutes } from './tenant-callers';
import { tenantCallsRoutes } from './tenant-calls';
import { tenantHoursRoutes } from './tenant-hours';
import { tenantKnowledgeRoutes } from './tenant-knowledge';
import { tenantCredentialsRoutes } from './tenant-credentials';
import { tenantInboxRoutes } from './tenant-inbox';
import { tenantNotificationsRoutes } from './tenant-notifications';
import { tenantSettingsRoutes } from './tenant-settings';
import { tenantTextingRoutes } from './tenant-texting';
import { tenantSupportRoutes } from './tenant-support';
import { tenantTeamRoutes } from './tenant-team';
import { tenantUsageRoutes } from './tenant-usage';
import { tenantVoicePreviewRoutes } from './tenant-voice-preview';

/**
 * Every admin route, one module per contract area (same file names as
 * packages/contracts/src/admin/). Authorization is not here: each route's `metadata.access` in the
 * contract is enforced by the one middleware in authorize.ts, and `tenantOf(res)` is the tenant a
 * checked grant allows (a membership, an API key or a platform admin's support session; tenant domain functions run inside withTenant).
 */
export function adminRoutes(deps: RouteDeps): ContractImplementation<typeof adminApiContract> {
  return {
    auth: {
      ...authRoutes(deps),
      ...accountRoutes(deps),
    },
    platform: {
      ...platformTenantsRoutes(deps),
      ...platformTemplatesRoutes(deps),
      ...platformNumbersRoutes(deps),
      ...platformAdminsRoutes(deps),
      ...platformAuditRoutes(deps),
      ...platformUsageRoutes(deps),
      ...platformSupportRoutes(deps),
    },
    tenant: {
      ...tenantSettingsRoutes(deps),
      ...tenantCallsRoutes(deps),
      ...tenantCallersRoutes(deps),
      ...tenantUsageRoutes(deps),
      ...tenantAuditRoutes(deps),
      ...tenantHoursRoutes(deps),
      ...tenantKnowledgeRoutes(deps),
      ...tenantVoicePreviewRoutes(deps),
      ...tenantCredentialsRoutes(deps),
      ...tenantTeamRoutes(deps),
      ...tenantApiKeysRoutes(deps),
      ...tenantInboxRoutes(deps),
      ...tenantNotificationsRoutes(deps),
      ...tenantTextingRoutes(deps),
      ...tenantSupportRoutes(deps),
    },
  };
}
