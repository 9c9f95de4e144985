import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { adminActor } from '../shared/actor';

export interface ListTemplateVersionsOptions {
  platformDb: Db;
  actorId: string;
}

/** Every template version, by industry then version (definitions left out: they can be large). */
export async function listTemplateVersions(options: ListTemplateVersionsOptions) {
  return withPlatform(options.platformDb, { actor: adminActor(options.actorId), action: 'template.list' }, (tx) =>
    tx.industryTemplateVersion.findMany({
      orderBy: [{ industry: 'asc' }, { version: 'asc' }],
      select: { id: true, industry: true, version: true, publishedAt: true, createdAt: true, template: { select: { name: true } } },
    }),
  );
}
