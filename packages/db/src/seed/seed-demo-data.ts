import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  businessHoursSchema,
  businessKnowledgeSchema,
  industryTemplateDefinitionSchema,
  languageTagSchema,
  timeZoneSchema,
} from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { z } from 'zod';
import type { Db, TenantTx } from '../client/create-db';
import type { Prisma } from '../generated/prisma/client';
import { assignPhoneNumber, PhoneNumberTakenError } from '../tenancy/assign-phone-number';
import { withPlatform } from '../tenancy/with-platform';

/**
 * Loads demo tenants and industry templates from JSON (seed/ by default) and writes them through
 * withPlatform. Idempotent: templates are matched by (industry, version), tenants by business
 * name, phone numbers by E.164 (a number owned by another tenant is an error), SMS templates by
 * name, admin users by email. No tenant data lives in code: it is all in the JSON files.
 */

export const DEFAULT_SEED_DIR = path.resolve(__dirname, '../../seed');

const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +14155552671');

const demoTenantSchema = z
  .object({
    businessName: z.string().trim().min(1),
    agentName: z.string().trim().min(1),
    greeting: z.string().trim().min(1),
    voiceId: z.string().trim().min(1).optional(),
    personality: z.string().default(''),
    industry: z.string().trim().min(1),
    templateVersion: z.number().int().positive(),
    transferNumber: e164Schema.optional(),
    helpText: z.string().trim().min(1).optional(),
    /** How calls are answered (see customers.voice_mode). */
    voiceMode: z.enum(['gather', 'relay']).default('gather'),
    phoneNumbers: z
      .array(
        z
          .object({
            e164: e164Schema,
            purpose: z.enum(['voice', 'sms', 'voice_and_sms']).default('voice_and_sms'),
          })
          .strict(),
      )
      .min(1, 'a tenant needs at least one phone number'),
    smsTemplates: z.array(z.object({ name: z.string().trim().min(1), body: z.string().trim().min(1) }).strict()).default([]),
    language: languageTagSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    /** Weekly hours and holidays in the tenant's time zone; absent: always open. */
    businessHours: businessHoursSchema.optional(),
    afterHoursGreeting: z.string().trim().min(1).optional(),
    /** What the agent may tell callers (address, services, questions and answers). */
    knowledge: businessKnowledgeSchema.optional(),
    /**
     * Callers the tenant already knows, as earlier calls would have left them (profile name and
     * fields, memories): a demo caller to verify. Written once; later calls' changes are kept.
     */
    callers: z
      .array(
        z
          .object({
            phone: e164Schema,
            name: z.string().trim().min(1),
            variables: z.record(z.unknown()).default({}),
            memories: z.array(z.string().trim().min(1)).default([]),
          })
          .strict(),
      )
      .default([]),
    admins: z
      .array(
        z
          .object({
            email: z.string().trim().toLowerCase().email(),
            role: z.enum(['owner', 'admin', 'viewer']).default('owner'),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type DemoTenant = z.infer<typeof demoTenantSchema>;

const demoTenantsFileSchema = z.object({ tenants: z.array(demoTenantSchema).min(1) }).strict();

export interface SeedFiles {
  tenants: DemoTenant[];
  templates: IndustryTemplateDefinition[];
}

export interface SeedResult {
  templates: { industry: string; version: number; created: boolean }[];
  tenants: { businessName: string; customerId: number; created: boolean }[];
}

/** Bad seed data: the message names the file and the field. */
export class SeedValidationError extends Error {
  override readonly name = 'SeedValidationError';
}

/** Reads `<dir>/demo-tenants.json` and every `<dir>/templates/*.json`, validating each. */
export async function loadSeedFiles(seedDir: string = DEFAULT_SEED_DIR): Promise<SeedFiles> {
  const tenantsFile = path.join(seedDir, 'demo-tenants.json');
  const { tenants } = parseWith(demoTenantsFileSchema, await readJson(tenantsFile), tenantsFile);
  const templatesDir = path.join(seedDir, 'templates');
  const templateNames = (await readdir(templatesDir)).filter((name) => name.endsWith('.json')).sort();
  const templates: IndustryTemplateDefinition[] = [];
  for (const name of templateNames) {
    const file = path.join(templatesDir, name);
    templates.push(parseWith(industryTemplateDefinitionSchema, await readJson(file), file));
  }
  return { tenants, templates };
}

export interface SeedDemoDataOptions {
  /** Client connected as neurosphere_platform (DATABASE_PLATFORM_URL). */
  platformDb: Db;
  files: SeedFiles;
  /** Recorded in platform_audit_log. */
  actor?: string;
}

export async function seedDemoData(options: SeedDemoDataOptions): Promise<SeedResult> {
  const { platformDb, files } = options;
  const actor = options.actor ?? 'seed';
  assertConsistent(files);

  const templates: SeedResult['templates'] = [];
  for (const definition of files.templates) {
    const created = await withPlatform(
      platformDb,
      {
        actor,
        action: 'seed.industry_template',
        details: { industry: definition.industry, version: definition.version },
      },
      (tx) => upsertTemplateVersion(tx, definition),
    );
    templates.push({ industry: definition.industry, version: definition.version, created });
  }

  const tenants: SeedResult['tenants'] = [];
  for (const tenant of files.tenants) {
    const result = await withPlatform(platformDb, { actor, action: 'seed.tenant', details: { businessName: tenant.businessName } }, (tx) =>
      upsertTenant(tx, tenant),
    );
    tenants.push({ businessName: tenant.businessName, ...result });
  }
  return { templates, tenants };
}

function assertConsistent(files: SeedFiles): void {
  const seen = new Map<string, string>();
  for (const tenant of files.tenants) {
    for (const { e164 } of tenant.phoneNumbers) {
      const other = seen.get(e164);
      if (other !== undefined) {
        throw new SeedValidationError(`phone number ${e164} is listed for both "${other}" and "${tenant.businessName}"`);
      }
      seen.set(e164, tenant.businessName);
    }
  }
  const versions = new Set<string>();
  for (const template of files.templates) {
    const key = `${template.industry}@${template.version}`;
    if (versions.has(key)) throw new SeedValidationError(`template ${key} is defined twice`);
    versions.add(key);
  }
}

async function upsertTemplateVersion(tx: TenantTx, definition: IndustryTemplateDefinition): Promise<boolean> {
  await tx.industryTemplate.upsert({
    where: { industry: definition.industry },
    create: { industry: definition.industry, name: definition.name },
    update: { name: definition.name },
  });
  const existing = await tx.industryTemplateVersion.findUnique({
    where: { industry_version: { industry: definition.industry, version: definition.version } },
  });
  if (existing) {
    // Published versions are immutable: tenants pinned to them must not change behaviour.
    if (canonicalJson(existing.definition) !== canonicalJson(definition)) {
      throw new SeedValidationError(
        `template ${definition.industry} v${definition.version} is already published with a different definition; publish it as a new version`,
      );
    }
    return false;
  }
  await tx.industryTemplateVersion.create({
    data: {
      industry: definition.industry,
      version: definition.version,
      definition,
      publishedAt: new Date(),
    },
  });
  return true;
}

async function upsertTenant(tx: TenantTx, tenant: DemoTenant): Promise<{ customerId: number; created: boolean }> {
  const template = await tx.industryTemplateVersion.findUnique({
    where: { industry_version: { industry: tenant.industry, version: tenant.templateVersion } },
  });
  if (!template) {
    throw new SeedValidationError(
      `tenant "${tenant.businessName}" pins template ${tenant.industry} v${tenant.templateVersion}, which does not exist`,
    );
  }

  const existingId = (await tx.customer.findFirst({ where: { businessName: tenant.businessName }, select: { id: true } }))?.id;

  const fields = {
    businessName: tenant.businessName,
    agentName: tenant.agentName,
    greeting: tenant.greeting,
    voiceId: tenant.voiceId ?? null,
    personality: tenant.personality,
    industry: tenant.industry,
    templateVersion: tenant.templateVersion,
    transferNumber: tenant.transferNumber ?? null,
    helpText: tenant.helpText ?? null,
    voiceMode: tenant.voiceMode,
    ...(tenant.language ? { language: tenant.language } : {}),
    ...(tenant.timeZone ? { timeZone: tenant.timeZone } : {}),
    ...(tenant.businessHours ? { businessHours: tenant.businessHours } : {}),
    ...(tenant.afterHoursGreeting ? { afterHoursGreeting: tenant.afterHoursGreeting } : {}),
    ...(tenant.knowledge ? { businessKnowledge: tenant.knowledge } : {}),
  };
  const customer =
    existingId === undefined
      ? await tx.customer.create({ data: fields })
      : await tx.customer.update({ where: { id: existingId }, data: fields });
  const customerId = customer.id;

  for (const phone of tenant.phoneNumbers) {
    const existing = await tx.phoneNumber.findUnique({ where: { customerId_e164: { customerId, e164: phone.e164 } } });
    if (existing) {
      await tx.phoneNumber.update({
        where: { customerId_id: { customerId, id: existing.id } },
        data: { purpose: phone.purpose },
      });
      continue;
    }
    try {
      await assignPhoneNumber(tx, { customerId, e164: phone.e164, purpose: phone.purpose });
    } catch (error) {
      if (!(error instanceof PhoneNumberTakenError)) throw error;
      throw new SeedValidationError(`phone number ${phone.e164} of "${tenant.businessName}" already belongs to tenant ${error.routedTo}`);
    }
  }

  for (const smsTemplate of tenant.smsTemplates) {
    await tx.smsTemplate.upsert({
      where: { customerId_name: { customerId, name: smsTemplate.name } },
      create: { customerId, name: smsTemplate.name, body: smsTemplate.body },
      update: { body: smsTemplate.body },
    });
  }

  for (const admin of tenant.admins) {
    // Seeded admins have no password: they set one through the invite/reset flow.
    const adminUser = await tx.adminUser.upsert({
      where: { email: admin.email },
      create: { email: admin.email },
      update: {},
    });
    await tx.membership.upsert({
      where: { customerId_adminUserId: { customerId, adminUserId: adminUser.id } },
      create: { customerId, adminUserId: adminUser.id, role: admin.role },
      update: { role: admin.role },
    });
  }

  for (const caller of tenant.callers) {
    const known = await tx.callerProfile.findUnique({
      where: { customerId_userId: { customerId, userId: caller.phone } },
      select: { id: true },
    });
    if (known) continue;
    await tx.callerProfile.create({
      data: {
        customerId,
        userId: caller.phone,
        name: caller.name,
        variables: caller.variables as Prisma.InputJsonObject,
        callCount: 1,
        lastCallAt: new Date(),
      },
    });
    if (caller.memories.length > 0) {
      await tx.memory.createMany({ data: caller.memories.map((content) => ({ customerId, userId: caller.phone, content })) });
    }
  }

  return { customerId, created: existingId === undefined };
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SeedValidationError(`${file}: cannot read the file`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SeedValidationError(`${file}: invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function parseWith<Schema extends z.ZodTypeAny>(schema: Schema, value: unknown, file: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
      .join('; ');
    throw new SeedValidationError(`${file}: ${issues}`);
  }
  return result.data as z.output<Schema>;
}

/** JSON with object keys sorted, so jsonb (which reorders keys) compares equal to the file. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}
