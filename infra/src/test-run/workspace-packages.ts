import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface WorkspacePackage {
  name: string;
  dir: string;
  scripts: Record<string, string>;
}

/**
 * The `packages:` globs of pnpm-workspace.yaml. Only the forms this repository uses are read: a
 * folder (`bench`) or a folder's children (`apps/*`).
 */
export function parseWorkspaceGlobs(workspaceYaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of workspaceYaml.split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages && /^\S/.test(line)) break;
    const item = /^\s+-\s+["']?([^"'#]+?)["']?\s*(#.*)?$/.exec(line);
    if (inPackages && item?.[1]) globs.push(item[1]);
  }
  return globs;
}

export function listWorkspacePackages(repoRoot: string): WorkspacePackage[] {
  const globs = parseWorkspaceGlobs(readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8'));
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [path.join(repoRoot, glob)];
    const parent = path.join(repoRoot, glob.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((entry) => path.join(parent, entry)) : [];
  });
  return dirs
    .filter((dir) => existsSync(path.join(dir, 'package.json')))
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        scripts?: Record<string, string>;
      };
      return { name: manifest.name ?? path.basename(dir), dir, scripts: manifest.scripts ?? {} };
    });
}
