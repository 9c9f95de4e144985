import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// The modules of src/ (domain/<noun>, routes, jobs, clients, ...; a folder inside one belongs to
// it) import each other in one direction only, type imports included. A module that needs a type
// from one that needs it back takes it from a module below both: domain/call-runtime holds what
// every part of a call shares.

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** `domain/conversation/tools/index.ts` -> `domain/conversation`; `app.ts` -> `.` */
function moduleOf(root: string, file: string): string {
  const folders = relative(root, dirname(file)).split('/').filter(Boolean);
  return folders.slice(0, folders[0] === 'domain' ? 2 : 1).join('/') || '.';
}

/** module -> the modules it imports from (relative imports only). */
function moduleImports(root: string): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const from = moduleOf(root, file);
    const imported = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((entry) => entry.fileName);
    for (const specifier of imported.filter((name) => name.startsWith('.'))) {
      const target = resolve(dirname(file), specifier);
      const to = moduleOf(root, existsSync(`${target}.ts`) ? `${target}.ts` : join(target, 'index.ts'));
      if (to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

function findCycle(edges: Map<string, Set<string>>): string[] | null {
  const acyclic = new Set<string>();
  const visit = (name: string, path: string[]): string[] | null => {
    if (path.includes(name)) return [...path.slice(path.indexOf(name)), name];
    if (acyclic.has(name)) return null;
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next, [...path, name]);
      if (cycle) return cycle;
    }
    acyclic.add(name);
    return null;
  };
  for (const name of edges.keys()) {
    const cycle = visit(name, []);
    if (cycle) return cycle;
  }
  return null;
}

describe('import layers', () => {
  it('has no import cycle between the modules of src/', () => {
    const edges = moduleImports(__dirname);
    expect(edges.get('domain/calls')).toContain('domain/conversation');
    expect(findCycle(edges)).toBeNull();
  });

  it('would name a cycle', () => {
    const edges = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['b'])],
    ]);
    expect(findCycle(edges)).toEqual(['b', 'c', 'b']);
  });
});
