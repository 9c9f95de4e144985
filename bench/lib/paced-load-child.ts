/**
 * Sends one paced run (lib/paced-load.ts) from its own process, so the load generator starts
 * with a small heap: reads a PacedLoadPlan as JSON on stdin, writes the PacedLoadResult as JSON
 * on stdout.
 */
import { runPacedLoadHere } from './paced-load';
import type { PacedLoadPlan } from './paced-load';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const plan = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PacedLoadPlan;
  const result = await runPacedLoadHere(plan);
  process.stdout.write(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
