import { industryTemplateDefinitionSchema } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import type { TenantTx } from '@neurosphere/db';

/** A stored template definition that does not pass industryTemplateDefinitionSchema. */
export class InvalidTemplateError extends Error {
  override readonly name = 'InvalidTemplateError';
}

/** The tenant named by a valid token has no customers row (deleted, or a token for another database). */
export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
}

/**
 * Published template versions are immutable (a change is a new version number), so a parsed
 * definition can be kept for the life of the process. Drafts are never cached.
 */
const publishedDefinitions = new Map<string, IndustryTemplateDefinition>();

/** The cached definition of a published version, if this process has already read it. */
export function cachedTemplateDefinition(industry: string, version: number): IndustryTemplateDefinition | undefined {
  return publishedDefinitions.get(`${industry}@${version}`);
}

/**
 * The definition of one template version, validated. Call inside withTenant (the app role may read
 * the global template tables).
 */
export async function loadTemplateDefinition(tx: TenantTx, industry: string, version: number): Promise<IndustryTemplateDefinition> {
  const cached = cachedTemplateDefinition(industry, version);
  if (cached) return cached;
  const row = await tx.industryTemplateVersion.findUnique({
    where: { industry_version: { industry, version } },
    select: { definition: true, publishedAt: true },
  });
  if (!row) throw new InvalidTemplateError(`Industry template ${industry} v${version} does not exist`);
  const parsed = industryTemplateDefinitionSchema.safeParse(row.definition);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidTemplateError(
      `Industry template ${industry} v${version} is invalid: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown problem'}`,
    );
  }
  if (row.publishedAt) publishedDefinitions.set(`${industry}@${version}`, parsed.data);
  return parsed.data;
}

/**
 * The template the tenant is pinned to (customers.industry + template_version). Publishing a new
 * version changes nothing here until the tenant is moved to it.
 */
export async function loadPinnedTemplate(
  tx: TenantTx,
  customerId: number,
): Promise<{ industry: string; version: number; definition: IndustryTemplateDefinition }> {
  const customer = await tx.customer.findUnique({
    where: { id: customerId },
    select: { industry: true, templateVersion: true },
  });
  if (!customer) throw new UnknownTenantError(`Customer ${customerId} does not exist`);
  const definition = await loadTemplateDefinition(tx, customer.industry, customer.templateVersion);
  return { industry: customer.industry, version: customer.templateVersion, definition };
}
