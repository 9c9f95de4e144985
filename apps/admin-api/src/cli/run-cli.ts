import { AppError } from '@neurosphere/http';
import { userInfo } from 'node:os';

/** The audit actor of a command run by an operator: `cli:<os user>`. */
export function cliActor(): string {
  return `cli:${userInfo().username}`;
}

/** The command's arguments; pnpm may pass the "--" separator through, which is dropped. */
export function cliArgs(): string[] {
  return process.argv.slice(2).filter((arg) => arg !== '--');
}

/**
 * Runs a command: its exit code is what `main` returns; an expected failure (AppError: a refusal
 * naming its cause) prints its message and exits 1, anything else prints the error's message.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof AppError) {
        console.error(`${error.code}: ${error.message}`);
        for (const detail of error.details ?? []) console.error(`  ${detail.path}: ${detail.message}`);
      } else {
        console.error(error instanceof Error ? error.message : String(error));
      }
      process.exitCode = 1;
    },
  );
}
