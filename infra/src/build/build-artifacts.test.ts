import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/paths';
import { BUILDABLE_APPS, buildArtifacts, expectedEntries, MIGRATE_ENTRY } from './build-artifacts';

describe('buildArtifacts', () => {
  it('can build every folder of apps/', () => {
    const folders = readdirSync(path.join(repoRoot, 'apps'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect([...BUILDABLE_APPS].sort()).toEqual(folders.sort());
  });

  it('refuses an app that is not a folder of apps/ before building anything, naming the choices', async () => {
    const log = jest.fn();
    await expect(buildArtifacts({ apps: ['gateway', 'billing'], outDir: '/nonexistent', log })).rejects.toThrow(
      `unknown app billing: choose from ${BUILDABLE_APPS.join(', ')}`,
    );
    expect(log).not.toHaveBeenCalled();
  });

  it('expects the memory artifact to hold the worker, and every artifact the migration runner', () => {
    expect(expectedEntries('memory')).toEqual(['dist/main.js', 'dist/worker.js', MIGRATE_ENTRY]);
    expect(expectedEntries('gateway')).toEqual(['dist/main.js', MIGRATE_ENTRY]);
  });
});
