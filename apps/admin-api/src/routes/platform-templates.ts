import { industryTemplateDefinitionSchema } from '@neurosphere/contracts';
import type { platformTemplatesContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { listTemplateVersions } from '../domain/templates/list-template-versions';
import { publishTemplateVersion } from '../domain/templates/publish-template-version';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): every one runs through withPlatform, audited. */
export function platformTemplatesRoutes(deps: RouteDeps): ContractImplementation<typeof platformTemplatesContract> {
  const { platformDb } = deps;
  return {
    listTemplateVersions: async ({ res }) => {
      const versions = await listTemplateVersions({ platformDb, actorId: adminOf(res).id });
      return {
        status: 200,
        body: {
          success: true,
          versions: versions.map((version) => ({
            id: version.id,
            industry: version.industry,
            version: version.version,
            name: version.template.name,
            published_at: version.publishedAt?.toISOString() ?? null,
            created_at: version.createdAt.toISOString(),
          })),
        },
      };
    },
    publishTemplateVersion: async ({ body, res }) => {
      const version = await publishTemplateVersion({ platformDb, actorId: adminOf(res).id, definition: body.definition });
      return {
        status: 201,
        body: {
          success: true,
          template_version: {
            id: version.id,
            industry: version.industry,
            version: version.version,
            published_at: version.publishedAt?.toISOString() ?? null,
            created_at: version.createdAt.toISOString(),
            definition: industryTemplateDefinitionSchema.parse(version.definition),
          },
        },
      };
    },
  };
}
