import { AppError } from '@neurosphere/http';
import { isUniqueViolation, withPlatform } from '@neurosphere/db';
import type { Db, IndustryTemplateVersion } from '@neurosphere/db';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { adminActor } from '../shared/actor';

export interface PublishTemplateVersionOptions {
  platformDb: Db;
  actorId: string;
  /** Already validated by industryTemplateDefinitionSchema; carries its industry and version. */
  definition: IndustryTemplateDefinition;
}

/**
 * Publishes a new, immutable template version. Tenants pin (industry, version), so changing a
 * published version would change agents under tenants' feet: an existing version is a 409 and
 * the caller publishes the next number instead. The industry row is created on first publish.
 */
export async function publishTemplateVersion(options: PublishTemplateVersionOptions): Promise<IndustryTemplateVersion> {
  const { definition } = options;
  const { industry, version } = definition;
  const conflict = () =>
    new AppError(
      'CONFLICT',
      `Template ${industry} version ${version} already exists; published versions are immutable, publish a new version`,
      {
        details: [{ path: 'body.definition.version', message: `version ${version} of ${industry} already exists` }],
      },
    );

  return withPlatform(
    options.platformDb,
    { actor: adminActor(options.actorId), action: 'template.publish', details: { industry, version } },
    async (tx) => {
      await tx.industryTemplate.createMany({ data: [{ industry, name: definition.name }], skipDuplicates: true });
      const existing = await tx.industryTemplateVersion.findUnique({
        where: { industry_version: { industry, version } },
        select: { id: true },
      });
      if (existing) throw conflict();
      return tx.industryTemplateVersion
        .create({ data: { industry, version, definition, publishedAt: new Date() } })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? conflict() : error;
        });
    },
  );
}
