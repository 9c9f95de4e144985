import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/paths';
import { listWorkspacePackages } from '../test-run/workspace-packages';
import { BUILDABLE_APPS, buildArtifacts, expectedEntries, MIGRATE_ENTRY } from './build-artifacts';

describe('buildArtifacts', () => {
  it('can build every folder of apps/', () => {
    const folders = readdirSync(path.join(repoRoot, 'apps'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect([...BUILDABLE_APPS].sort()).toEqual(folders.sort());
  });

  it('builds each workspace package from an empty dist/ and ships only what it compiled', () => {
    for (const workspacePackage of listWorkspacePackages(repoRoot).filter((candidate) => candidate.scripts.build)) {
      const manifest = JSON.parse(readFileSync(path.join(workspacePackage.dir, 'package.json'), 'utf8')) as { files?: string[] };
      expect([
        workspacePackage.name,
        workspacePackage.scripts.build?.startsWith('rm -rf dist && '),
        manifest.files?.includes('dist'),
      ]).toEqual([workspacePackage.name, true, true]);
    }
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
