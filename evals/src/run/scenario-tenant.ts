import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { assignPhoneNumber, withPlatform } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { uniquePhone } from '@neurosphere/testing';
import type { Scenario, ScenarioFile } from '../scenarios/scenario-file';

export const seedTemplatesDir = path.resolve(__dirname, '..', '..', '..', 'packages', 'db', 'seed', 'templates');

/** The industries of the seed's templates (packages/db/seed/templates/<industry>.v<N>.json). */
export function seedIndustries(): string[] {
  return [...new Set(readdirSync(seedTemplatesDir).flatMap((name) => /^(.+)\.v\d+\.json$/.exec(name)?.[1] ?? []))].sort();
}

/** The latest version of the seed's template of an industry. */
export function latestSeedTemplate(industry: string): IndustryTemplateDefinition {
  const versions = readdirSync(seedTemplatesDir)
    .flatMap((name) => {
      const match = /^(.+)\.v(\d+)\.json$/.exec(name);
      return match?.[1] === industry ? [{ name, version: Number(match[2]) }] : [];
    })
    .sort((a, b) => b.version - a.version);
  const latest = versions[0];
  if (!latest)
    throw new Error(`no seed template for the industry "${industry}" in ${seedTemplatesDir} (there are: ${seedIndustries().join(', ')})`);
  return JSON.parse(readFileSync(path.join(seedTemplatesDir, latest.name), 'utf8')) as IndustryTemplateDefinition;
}

/** Publishes the seed template of an industry under a key of this run, so runs never collide. */
export async function publishRunTemplate(platformDb: Db, industry: string, runId: string): Promise<IndustryTemplateDefinition> {
  const seed = latestSeedTemplate(industry);
  const definition = { ...seed, industry: `eval-${industry}-${runId}`, version: 1 };
  await withPlatform(platformDb, { actor: 'evals', action: 'template.publish', reason: 'evaluation run' }, async (tx) => {
    await tx.industryTemplate.create({ data: { industry: definition.industry, name: `${seed.name} (eval)` } });
    await tx.industryTemplateVersion.create({
      data: {
        industry: definition.industry,
        version: 1,
        publishedAt: new Date(),
        definition: definition as unknown as Prisma.InputJsonValue,
      },
    });
  });
  return definition;
}

export interface ScenarioTenant {
  customerId: number;
  /** Unique to this scenario in the run: it is in the agent's prompt and greeting, so it keys the model script. */
  businessName: string;
  number: string;
  callerPhone: string;
}

/**
 * One tenant per scenario, onboarded the way the platform does (withPlatform, audited): the
 * business of the scenario file on the run's template, its number, and what the platform already
 * has for the calling number (a returning caller) and for someone else.
 */
export async function createScenarioTenant(options: {
  platformDb: Db;
  file: ScenarioFile;
  scenario: Scenario;
  template: IndustryTemplateDefinition;
  businessName: string;
}): Promise<ScenarioTenant> {
  const { file, scenario, template, businessName } = options;
  const number = uniquePhone();
  const callerPhone = uniquePhone();
  const customerId = await withPlatform(
    options.platformDb,
    { actor: 'evals', action: 'tenant.create', reason: `evaluation scenario ${scenario.id}` },
    async (tx) => {
      const customer = await tx.customer.create({
        data: {
          businessName,
          agentName: file.business.agent_name,
          greeting: `Thank you for calling ${businessName}, this is ${file.business.agent_name}. How can I help you today?`,
          voiceId: `eval-voice-${file.industry}`,
          personality: 'Warm, brief and precise.',
          industry: template.industry,
          templateVersion: template.version,
          callerVerification: file.business.caller_verification,
          ...(file.business.transfer_number ? { transferNumber: file.business.transfer_number } : {}),
        },
      });
      await assignPhoneNumber(tx, { customerId: customer.id, e164: number, twilioAccount: 'platform' });
      const people = [
        ...(scenario.caller.on_file ? [{ phone: callerPhone, ...scenario.caller.on_file }] : []),
        ...(scenario.other_caller ? [{ phone: uniquePhone(), ...scenario.other_caller }] : []),
      ];
      const earlier = new Date(Date.now() - 30 * 86_400_000);
      for (const person of people) {
        await tx.callerProfile.create({
          data: {
            customerId: customer.id,
            userId: person.phone,
            name: person.name,
            variables: person.fields as Prisma.InputJsonValue,
            callCount: 2,
            firstCallAt: earlier,
            lastCallAt: earlier,
          },
        });
        for (const content of person.memories) await tx.memory.create({ data: { customerId: customer.id, userId: person.phone, content } });
      }
      return customer.id;
    },
  );
  return { customerId, businessName, number, callerPhone };
}
