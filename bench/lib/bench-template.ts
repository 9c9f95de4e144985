import type { TenantTx } from '@neurosphere/db';

/** A caller field of an industry template (the shape industryTemplateDefinitionSchema checks). */
export interface BenchTemplateField {
  key: string;
  label: string;
  type: 'string' | 'number' | 'boolean' | 'date' | 'string[]';
  hint: string;
}

/**
 * Publishes version 1 of a small industry template under `industry`, inside the caller's
 * withPlatform transaction, as a platform admin would: the tenants a benchmark creates pin it.
 */
export async function publishBenchTemplate(
  tx: TenantTx,
  industry: string,
  fields: BenchTemplateField[] = [{ key: 'city', label: 'City', type: 'string', hint: 'Where the caller lives.' }],
): Promise<void> {
  await tx.industryTemplate.create({ data: { industry, name: 'Benchmark industry' } });
  await tx.industryTemplateVersion.create({
    data: {
      industry,
      version: 1,
      publishedAt: new Date(),
      definition: {
        industry,
        version: 1,
        name: 'Benchmark industry',
        fields: fields.map((field) => ({ ...field })),
        promptFragments: { role: 'You answer the phone for a benchmark business.', guidelines: ['Be brief.'] },
        quickBio: { format: '{{name}} | {{city}}' },
      },
    },
  });
}
