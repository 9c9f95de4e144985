import { industryTemplateDefinitionSchema } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import { withTimeout } from '../../lib/timeout';
import type { TenantSnapshot } from './tenant-snapshot';

export interface LoadTenantSnapshotOptions {
  db: Db;
  logger: Logger;
  /** The tenant, from the verified service token. */
  customerId: number;
  /** Prisma's interactive-transaction timeout: the call path cannot wait longer than this. */
  timeoutMs: number;
}

/**
 * The tenant's call settings and its pinned template's prompt fragments, or null when the tenant
 * does not exist (for this role, RLS makes another tenant's row look exactly like that).
 */
export async function loadTenantSnapshot(options: LoadTenantSnapshotOptions): Promise<TenantSnapshot | null> {
  const { db, customerId, timeoutMs } = options;
  const loaded = await withTimeout('load tenant settings', timeoutMs, () =>
    withTenant(
    db,
    customerId,
    async (tx) => {
      const customer = await tx.customer.findUnique({ where: { id: customerId } });
      if (!customer) return null;
      const [template, credentials] = await Promise.all([
        tx.industryTemplateVersion.findUnique({
          where: { industry_version: { industry: customer.industry, version: customer.templateVersion } },
          select: { definition: true },
        }),
        tx.tenantCredential.findMany({
          where: { customerId, provider: { in: ['openai', 'elevenlabs'] } },
          select: { provider: true },
        }),
      ]);
      return { customer, template, credentials };
    },
    { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
  if (!loaded) return null;
  const { customer, template, credentials } = loaded;

  const definition = industryTemplateDefinitionSchema.safeParse(template?.definition);
  if (!definition.success) {
    // The agent still answers, just without the industry framing; the template needs fixing.
    options.logger.error(
      { customer_id: customerId, industry: customer.industry, templateVersion: customer.templateVersion },
      template ? 'pinned industry template definition is invalid' : 'pinned industry template version not found',
    );
  }

  return {
    businessName: customer.businessName,
    agentName: customer.agentName,
    greeting: customer.greeting,
    voiceId: customer.voiceId,
    personality: customer.personality,
    transferNumber: customer.transferNumber,
    speechTimeoutSeconds: customer.speechTimeoutSeconds,
    openaiModel: customer.openaiModel,
    industry: customer.industry,
    templateVersion: customer.templateVersion,
    promptFragments: definition.success ? definition.data.promptFragments : null,
    byokProviders: credentials.map((credential) => credential.provider).filter(isByokCallProvider),
  };
}

function isByokCallProvider(provider: string): provider is 'openai' | 'elevenlabs' {
  return provider === 'openai' || provider === 'elevenlabs';
}
