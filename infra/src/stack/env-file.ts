import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * Renders variables in the dotenv dialect that `node --env-file` reads. Values go in single
 * quotes, which Node takes literally (JSON keys keep their double quotes); a value that contains a
 * single quote or a newline cannot be written that way and is refused rather than mangled.
 */
export function renderEnvFile(variables: Record<string, string>, header: string): string {
  const lines = header.split('\n').map((line) => `# ${line}`);
  for (const [name, value] of Object.entries(variables)) {
    if (!VARIABLE_NAME.test(name)) throw new Error(`${name} is not a valid environment variable name`);
    if (value.includes("'") || value.includes('\n')) throw new Error(`${name} contains a quote or newline and cannot go into an env file`);
    lines.push(`${name}='${value}'`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<dir>/<name>.env` readable only by its owner (it holds a private key). */
export function writeEnvFile(dir: string, name: string, variables: Record<string, string>, header: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${name}.env`);
  writeFileSync(file, renderEnvFile(variables, header), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
