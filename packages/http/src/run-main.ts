import { EnvValidationError } from '@neurosphere/config';

/**
 * Runs a service's `main`. A boot failure exits 1; an invalid environment prints its single
 * "Invalid environment: ..." line rather than a stack trace.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof EnvValidationError ? error.message : error);
    process.exit(1);
  });
}
