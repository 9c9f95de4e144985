// "No company-specific data in code": the demo tenants' names, greetings and numbers may live in
// seed data, tests and fixtures, never in what apps/ and packages/ ship. This reads the seed file
// and searches every shipped source file for its distinctive values.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadSeedFiles } from './seed-demo-data';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const skippedDirs = new Set(['node_modules', 'dist', 'generated', 'seed', 'fixtures', 'test', '__fixtures__', 'coverage']);

function shippedSources(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (skippedDirs.has(entry) || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) shippedSources(full, found);
    else if (/\.(ts|js|mjs|cjs|json)$/.test(entry) && !/\.(test|spec)\.ts$/.test(entry) && !entry.includes('test-')) {
      found.push(full);
    }
  }
  return found;
}

describe('no demo tenant data in shipped code', () => {
  it("finds none of the seed tenants' names, agent greetings or numbers in apps/ and packages/", async () => {
    const { tenants } = await loadSeedFiles();
    expect(tenants.length).toBeGreaterThanOrEqual(2);
    const needles = tenants.flatMap((tenant) => [
      tenant.businessName,
      tenant.greeting,
      ...tenant.phoneNumbers.map((number) => number.e164),
    ]);
    const files = ['apps', 'packages'].flatMap((top) => shippedSources(path.join(repoRoot, top)));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return needles.filter((needle) => text.includes(needle)).map((needle) => `${path.relative(repoRoot, file)}: ${needle}`);
    });
    expect(offenders).toEqual([]);
  });
});
