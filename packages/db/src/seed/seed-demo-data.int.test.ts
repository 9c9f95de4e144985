import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { createDb } from '../client/create-db';
import type { Db } from '../client/create-db';
import { requireTestDatabaseEnv } from '../testing';
import { lookupTenantByNumber } from '../tenancy/lookup-tenant-by-number';
import { withPlatform } from '../tenancy/with-platform';
import { withTenant } from '../tenancy/with-tenant';
import { DEFAULT_SEED_DIR, SeedValidationError, loadSeedFiles, seedDemoData } from './seed-demo-data';
import type { SeedFiles } from './seed-demo-data';

/**
 * The shipped seed files load and seed idempotently. Tests that write tenants use copies with
 * unique names and numbers, so they never collide with each other or with a seeded dev database.
 */

const env = requireTestDatabaseEnv();
let platformDb: Db;
let appDb: Db;
const tempDirs: string[] = [];

beforeAll(() => {
  platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
  appDb = createDb({ url: env.appUrl, poolMax: 2 });
});

afterAll(async () => {
  await Promise.all([platformDb.$disconnect(), appDb.$disconnect()]);
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The shipped seed, with every tenant renamed and renumbered uniquely. */
async function uniqueCopyOfSeed(): Promise<SeedFiles> {
  const files = await loadSeedFiles();
  const suffix = uniqueSuffix();
  return {
    templates: files.templates,
    tenants: files.tenants.map((tenant) => ({
      ...tenant,
      businessName: `${tenant.businessName} ${suffix}`,
      phoneNumbers: tenant.phoneNumbers.map((phone) => ({ ...phone, e164: uniquePhone() })),
      admins: tenant.admins.map((admin) => ({ ...admin, email: `${suffix}-${admin.email}` })),
    })),
  };
}

async function seedDirWith(edit: (tenantsJson: Record<string, unknown>) => void): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'seed-'));
  tempDirs.push(dir);
  await cp(DEFAULT_SEED_DIR, dir, { recursive: true });
  const file = path.join(dir, 'demo-tenants.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(json);
  await writeFile(file, JSON.stringify(json));
  return dir;
}

describe('loadSeedFiles', () => {
  it('loads the shipped demo tenants and templates', async () => {
    const files = await loadSeedFiles();
    expect(files.tenants).toHaveLength(2);
    const shipped = files.templates.map((template) => `${template.industry}@${template.version}`).sort();
    expect(shipped).toEqual([
      'insurance@1',
      'insurance@2',
      'insurance@3',
      'law-office@1',
      'law-office@2',
      'medical-office@1',
      'medical-office@2',
      'mortgage@1',
      'mortgage@2',
      'real-estate@1',
      'real-estate@2',
      'real-estate@3',
    ]);
    for (const tenant of files.tenants) expect(shipped).toContain(`${tenant.industry}@${tenant.templateVersion}`);
    for (const tenant of files.tenants) {
      expect(tenant.smsTemplates.map((template) => template.name)).toContain('missed-call-follow-up');
      expect(tenant.admins).toHaveLength(1);
    }
  });

  it("keeps every field key of an industry's earlier versions in its later ones", async () => {
    // Profiles keep their variables when a tenant moves to a newer version, and other services
    // (caller verification, SMS templates) read them by key: a key is never renamed or dropped.
    const { templates } = await loadSeedFiles();
    for (const template of templates) {
      const later = templates.filter((other) => other.industry === template.industry && other.version > template.version);
      for (const next of later) {
        const keys = next.fields.map((field) => field.key);
        expect({
          industry: next.industry,
          version: next.version,
          missing: template.fields.map((field) => field.key).filter((key) => !keys.includes(key)),
        }).toEqual({
          industry: next.industry,
          version: next.version,
          missing: [],
        });
      }
    }
  });

  it('names the file and field of invalid data', async () => {
    const dir = await seedDirWith((json) => {
      const tenants = json.tenants as Record<string, unknown>[];
      tenants[1]!.phoneNumbers = [{ e164: '555-0111' }];
    });
    await expect(loadSeedFiles(dir)).rejects.toThrow(SeedValidationError);
    await expect(loadSeedFiles(dir)).rejects.toThrow(
      `${path.join(dir, 'demo-tenants.json')}: tenants.1.phoneNumbers.0.e164: must be an E.164 number`,
    );
  });

  it('rejects an invalid template definition', async () => {
    const dir = await seedDirWith(() => undefined);
    const file = path.join(dir, 'templates', 'broken.v1.json');
    await writeFile(file, JSON.stringify({ industry: 'broken', version: 1, name: 'x', fields: [] }));
    await expect(loadSeedFiles(dir)).rejects.toThrow(`${file}: fields: a template needs at least one field`);
  });

  it('rejects a quick bio placeholder that is not a field of the template', async () => {
    const dir = await seedDirWith(() => undefined);
    const file = path.join(dir, 'templates', 'insurance.v1.json');
    const template = JSON.parse(await readFile(file, 'utf8')) as { quickBio: { format: string } };
    template.quickBio.format = '{{name}} | {{shoe_size}}';
    await writeFile(file, JSON.stringify(template));
    await expect(loadSeedFiles(dir)).rejects.toThrow(
      `${file}: quickBio.format: placeholder {{shoe_size}} is not a field key of this template`,
    );
  });

  it('rejects invalid JSON', async () => {
    const dir = await seedDirWith(() => undefined);
    await writeFile(path.join(dir, 'demo-tenants.json'), '{ nope');
    await expect(loadSeedFiles(dir)).rejects.toThrow(/demo-tenants\.json: invalid JSON/);
  });
});

describe('seedDemoData', () => {
  it('creates tenants with numbers, SMS templates and admins, and a second run only updates', async () => {
    const files = await uniqueCopyOfSeed();
    const first = await seedDemoData({ platformDb, files });
    expect(first.tenants.map((tenant) => tenant.created)).toEqual(files.tenants.map(() => true));

    const second = await seedDemoData({ platformDb, files });
    expect(second.templates.every((template) => !template.created)).toBe(true);
    expect(second.tenants).toEqual(first.tenants.map((tenant) => ({ ...tenant, created: false })));

    for (const [index, tenant] of files.tenants.entries()) {
      const { customerId } = first.tenants[index]!;
      const seeded = await withTenant(appDb, customerId, (tx) =>
        tx.customer.findUniqueOrThrow({
          where: { id: customerId },
          include: { phoneNumbers: true, smsTemplates: true, memberships: true },
        }),
      );
      expect(seeded).toMatchObject({
        businessName: tenant.businessName,
        agentName: tenant.agentName,
        greeting: tenant.greeting,
        helpText: tenant.helpText,
        industry: tenant.industry,
        templateVersion: tenant.templateVersion,
      });
      expect(seeded.phoneNumbers.map((phone) => phone.e164).sort()).toEqual(tenant.phoneNumbers.map((phone) => phone.e164).sort());
      expect(seeded.smsTemplates.map((template) => template.name)).toEqual(['missed-call-follow-up']);
      expect(seeded.memberships).toHaveLength(1);
      // The agent settings and the callers it already knows.
      expect(seeded).toMatchObject({ timeZone: tenant.timeZone ?? 'UTC', businessKnowledge: tenant.knowledge ?? null });
      const callers = await withTenant(appDb, customerId, (tx) =>
        tx.callerProfile.findMany({ where: { customerId }, select: { userId: true, name: true } }),
      );
      expect(callers).toEqual(tenant.callers.map((caller) => ({ userId: caller.phone, name: caller.name })));
    }
  });

  it('refuses to change a published template version', async () => {
    const files = await loadSeedFiles();
    await seedDemoData({ platformDb, files: { templates: files.templates, tenants: [] } });
    const changed = { ...files.templates[0]!, name: `${files.templates[0]!.name} (edited)` };
    await expect(seedDemoData({ platformDb, files: { templates: [changed], tenants: [] } })).rejects.toThrow(
      `template ${changed.industry} v${changed.version} is already published with a different definition`,
    );
  });

  it('refuses a number that belongs to another tenant, writing nothing for that tenant', async () => {
    const files = await uniqueCopyOfSeed();
    await seedDemoData({ platformDb, files });
    const [first, second] = files.tenants;
    const conflicting = {
      ...second!,
      businessName: `${second!.businessName} other`,
      phoneNumbers: [{ e164: uniquePhone(), purpose: 'voice' as const }, first!.phoneNumbers[0]!],
    };
    await expect(seedDemoData({ platformDb, files: { templates: files.templates, tenants: [conflicting] } })).rejects.toThrow(
      `phone number ${first!.phoneNumbers[0]!.e164} of "${conflicting.businessName}" already belongs to tenant`,
    );
    const owner = await lookupTenantByNumber(appDb, first!.phoneNumbers[0]!.e164);
    const { customerId: firstId } = (await seedDemoData({ platformDb, files: { templates: [], tenants: [first!] } })).tenants[0]!;
    expect(owner?.customerId).toBe(firstId);
    const created = await withPlatform(platformDb, { actor: 'test', action: 'test.check' }, (tx) =>
      tx.customer.count({ where: { businessName: conflicting.businessName } }),
    );
    expect(created).toBe(0);
  });
});
