/**
 * `pnpm eval [-- --scenarios <file or folder>]... [--verbose]`: plays the evaluation scenarios
 * (default: evals/scenarios/) through the real call path and prints the scorecard. Exits 1 when a
 * scenario fails. Without OPENAI_API_KEY the scenarios' scripted simulated model plays the agent.
 */
import path from 'node:path';
import { loadEvalEnv } from '../env';
import { runEvals } from '../run/run-evals';
import { loadScenarioFiles } from '../scenarios/scenario-file';
import { renderScorecard } from '../score/scorecard';

const defaultScenarios = path.resolve(__dirname, '..', '..', 'scenarios');

function parseArgs(argv: string[]): { scenarios: string[]; verbose: boolean } {
  const scenarios: string[] = [];
  let verbose = false;
  // Relative paths are the caller's: pnpm runs this script in evals/, and says where it was invoked in INIT_CWD.
  const base = process.env.INIT_CWD ?? process.cwd();
  for (let at = 0; at < argv.length; at++) {
    const arg = argv[at]!;
    if (arg === '--') continue;
    if (arg === '--verbose') verbose = true;
    else if (arg === '--scenarios' && argv[at + 1]) scenarios.push(path.resolve(base, argv[++at]!));
    else throw new Error(`unknown argument ${arg} (usage: pnpm eval [-- --scenarios <file or folder>]... [--verbose])`);
  }
  return { scenarios: scenarios.length > 0 ? scenarios : [defaultScenarios], verbose };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const env = loadEvalEnv();
  const files = loadScenarioFiles(args.scenarios);
  const startedAt = Date.now();
  const { results, model } = await runEvals({
    files,
    model: env.OPENAI_API_KEY ? { kind: 'real', apiKey: env.OPENAI_API_KEY, baseURL: env.OPENAI_BASE_URL } : { kind: 'simulated' },
    database: { appUrl: env.DATABASE_URL, platformUrl: env.DATABASE_PLATFORM_URL },
    redisUrl: env.REDIS_URL,
    concurrency: env.EVAL_CONCURRENCY,
    log: (line) => console.log(`[eval] ${line}`),
  });
  const scorecard = renderScorecard(results, { model, verbose: args.verbose });
  console.log('');
  console.log(scorecard.text);
  console.log(`(${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  return scorecard.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[eval] ${(error as Error).message}`);
    process.exit(1);
  },
);
