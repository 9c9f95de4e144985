import { parseWorkspaceGlobs } from './workspace-packages';

describe('pnpm-workspace.yaml packages', () => {
  it('reads the package globs and nothing after them', () => {
    const yaml = [
      'packages:',
      '  - apps/*',
      "  - 'packages/*'",
      '  - bench # benchmarks',
      '',
      'catalog:',
      '  zod: 3.25.76',
      'onlyBuiltDependencies:',
      '  - argon2',
    ].join('\n');
    expect(parseWorkspaceGlobs(yaml)).toEqual(['apps/*', 'packages/*', 'bench']);
  });
});
