/**
 * Options for working on one part: `--filter <package>` (repeatable) limits typecheck, lint and
 * tests to those workspace packages, `--skip-checks` skips typecheck and lint, and everything after
 * `--` goes to jest (a file pattern, `-t <name>`). Without options the run is the full one CI runs.
 */
export function parseTestArgs(argv: string[]): { filters: string[]; skipChecks: boolean; jestArgs: string[] } {
  const filters: string[] = [];
  let skipChecks = false;
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const jestArgs = separator === -1 ? [] : argv.slice(separator + 1);
  for (let index = 0; index < own.length; index += 1) {
    const arg = own[index];
    if (arg === '--skip-checks') skipChecks = true;
    else if (arg === '--filter' && own[index + 1]) filters.push(own[(index += 1)]!);
    else if (arg?.startsWith('--filter=')) filters.push(arg.slice('--filter='.length));
    else throw new Error(`unknown option ${arg ?? ''}: scripts/test [--filter <package>]... [--skip-checks] [-- <jest args>]`);
  }
  return { filters, skipChecks, jestArgs };
}
