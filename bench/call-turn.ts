/**
 * Benchmark (not a test): `/call/turn` webhook-to-TwiML latency of the real gateway + orchestrator.
 *
 *   pnpm bench call-turn
 *
 * (`pnpm bench` starts its own PostgreSQL and Redis, migrated, and passes DATABASE_URL,
 * DATABASE_PLATFORM_URL and REDIS_URL; given those, this file also runs on its own.)
 *
 * The gateway and the orchestrator run as child processes from their sources (as in dev), on the
 * given PostgreSQL and Redis (migrated). OpenAI and ElevenLabs are fake servers that answer at
 * once, memory is a fake that knows nobody (all in one small process of their own), so what is
 * measured is the platform's own path: signature check, tenant routing, service JWTs, call state
 * in Redis, prompt building, the two SDK calls, audio caching and TwiML.
 *
 * First BENCH_WARMUP seconds (default 5) of unmeasured closed-loop load on every server, on
 * separate warm-up calls, so what follows is steady state. Then six runs, BENCH_CONNECTIONS (50) each
 * (one simulated call per connection at a time, each connection cycling through its own calls so
 * no call grows past a realistic length; BENCH_ONLY_PACED=1 keeps the three paced ones):
 *   1. gateway + orchestrator, paced at BENCH_RATE requests/s in total (default 25: each of the 50
 *      calls takes a turn every 2 s): latency at 50 concurrent calls;
 *   2. gateway + orchestrator, unpaced: saturation throughput (its latency is then mostly queueing);
 *   3. and 4. the same two loads against a bare Express 5 endpoint that parses the same form and
 *      answers fixed TwiML, in its own process: the floor this machine and framework set;
 *   5. and 6. the same gateway in front of an orchestrator stand-in that answers at once: the
 *      gateway's own share (signature, routing, JWT, relay, TwiML).
 * Each paced run comes from a new load process, which first sends 2 s of unrecorded paced requests
 * to warm itself and its connections (lib/paced-load.ts).
 * Prints p50 / p99 / requests per second for each and the ratios, plus how many answers were
 * errors or fallbacks (a fast fallback is not a fast answer). BENCH_CHILD_NODE_FLAGS passes node
 * flags (e.g. "--trace-gc") to the services; BENCH_VERBOSE=1 shows their output.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { publishBenchTemplate } from './lib/bench-template';
import { callServiceSetup } from './lib/call-services';
import type { FakeProviderUrls } from './lib/call-services';
import { startFakeMemory } from './lib/fake-memory';
import { runPacedLoad } from './lib/paced-load';
import { ratio, reportResults } from './lib/results';
import { requireEnv } from './lib/require-env';
import type { ResultRow } from './lib/results';
import { SERVICE_NODE_FLAGS, SOURCE_NODE_ARGS } from './lib/source-node-args';
import express from 'express';
import twilio from 'twilio';
import { assignPhoneNumber, createDb, withPlatform } from '@neurosphere/db';
import {
  freePort,
  startFakeElevenLabs,
  startFakeOpenAI,
  startFakeServer,
  uniqueCallSid,
  uniquePhone,
  uniqueSuffix,
} from '@neurosphere/testing';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CALLS_PER_CONNECTION = Number(process.env.BENCH_CALLS_PER_CONNECTION ?? 8);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 20);
// 50 calls each taking a turn every 2 s: faster than people talk (a turn includes the caller
// speaking and the answer playing), well below saturation.
const RATE = Number(process.env.BENCH_RATE ?? 25);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 5);
// BENCH_ONLY_PACED=1 skips the three saturation runs (for quick repeated latency runs).
const ONLY_PACED = process.env.BENCH_ONLY_PACED === '1';
const repoRoot = path.resolve(__dirname, '..');

// Every process this bench starts; killed when it exits, however it exits.
const children: ChildProcess[] = [];
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

// --- the bare Express 5 endpoint, when this file is started as its server ---------------------
if (process.argv[2] === '--bare-express') {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const twiml = new twilio.twiml.VoiceResponse();
  twiml.gather({ input: ['speech'], action: 'http://127.0.0.1/call/turn', speechTimeout: '3' }).say('Certainly.');
  const body = twiml.toString();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/call/turn', (req, res) => {
    if (typeof req.body?.CallSid !== 'string') {
      res.status(400).end();
      return;
    }
    res.type('text/xml').send(body);
  });
  app.listen(Number(process.argv[3]), '127.0.0.1');
} else if (process.argv[2] === '--instant-orchestrator') {
  // An orchestrator stand-in that answers every start/turn at once: isolates the gateway's own cost.
  const app = express();
  app.use(express.json());
  const instructions = {
    speak: [{ type: 'play', audio_token: 'bench-audio-token-0000', text: 'Certainly.' }],
    next: { type: 'gather', speech_timeout_seconds: 3 },
  };
  app.get('/readyz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/v1/calls/start', (_req, res) => {
    res.json(instructions);
  });
  app.post('/v1/calls/:callSid/turn', (_req, res) => {
    res.json(instructions);
  });
  app.listen(Number(process.argv[3]), '127.0.0.1');
} else if (process.argv[2] === '--fake-providers') {
  // Providers that answer at once; the model echoes the caller so every turn needs fresh speech.
  // Started by startFakeProviders: prints where they listen as one line of JSON.
  void (async () => {
    const openai = await startFakeOpenAI((request) => {
      const last = [...request.messages].reverse().find((message) => message.role === 'user');
      return { content: `Certainly. You said: ${typeof last?.content === 'string' ? last.content : ''}` };
    });
    const elevenLabs = await startFakeElevenLabs();
    const memory = await startFakeMemory();
    const sms = await startFakeServer({});
    const urls: FakeProviderUrls = {
      openaiBaseUrl: openai.baseURL,
      elevenLabsBaseUrl: elevenLabs.baseUrl,
      memoryUrl: memory.url,
      smsUrl: sms.url,
    };
    process.stdout.write(`${JSON.stringify(urls)}\n`);
  })();
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

function spawnNode(args: string[], cwd: string, env: Record<string, string>): ChildProcess {
  // BENCH_VERBOSE=1 shows the apps' (warn and above) logs.
  const stdout = process.env.BENCH_VERBOSE ? 'inherit' : 'ignore';
  const child = spawn(process.execPath, ['--require', path.join(__dirname, 'lib/exit-with-parent.cjs'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  children.push(child);
  return child;
}

/** The fake OpenAI, ElevenLabs, memory and sms servers, in a child process (this file, --fake-providers). */
async function startFakeProviders(): Promise<FakeProviderUrls> {
  const child = spawn(
    process.execPath,
    [
      '--require',
      path.join(__dirname, 'lib/exit-with-parent.cjs'),
      ...SERVICE_NODE_FLAGS,
      ...SOURCE_NODE_ARGS,
      __filename,
      '--fake-providers',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    },
  );
  children.push(child);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the fake providers exited with code ${String(code)} before listening`);
  });
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), exited])) as [string];
  return JSON.parse(line) as FakeProviderUrls;
}

// Generous: six processes compile their sources at once, and a busy machine (a smoke run in the test suite) is slow at it.
async function waitFor(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
}

function signedForm(token: string, url: string, params: Record<string, string>) {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}

/** CPU time (user + system, all threads) a process has used so far, from /proc: contention-proof. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 0, utime 11, stime 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

interface Run {
  label: string;
  /** Server-side CPU milliseconds per request, by process. */
  cpuPerRequest: Record<string, number>;
  p50: number;
  p99: number;
  rps: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function load(
  label: string,
  url: string,
  paced: boolean,
  request: autocannon.Request,
  servers: Record<string, ChildProcess>,
): Promise<Run> {
  const cpuBefore = Object.fromEntries(Object.entries(servers).map(([name, child]) => [name, cpuMs(child.pid)]));
  const cpuPerRequestSince = (requests: number) =>
    Object.fromEntries(
      Object.entries(servers).map(([name, child]) => [name, (cpuMs(child.pid) - (cpuBefore[name] ?? 0)) / Math.max(requests, 1)]),
    );
  if (process.env.BENCH_VERBOSE) console.log(`[bench] start: ${label} at ${Date.now()}`);
  if (paced) {
    // Evenly spaced arrivals (autocannon's overallRate sends each second's budget in a burst).
    const contexts = Array.from({ length: CONNECTIONS }, () => ({}));
    let nextContext = 0;
    const result = await runPacedLoad({
      port: Number(new URL(url).port),
      connections: CONNECTIONS,
      ratePerSecond: RATE,
      seconds: DURATION_SECONDS,
      nextRequest: () => {
        const setup = request.setupRequest as (req: autocannon.Request, context: object) => autocannon.Request;
        const built = setup({ method: request.method, path: request.path }, contexts[nextContext++ % CONNECTIONS]!) as {
          method?: string;
          path?: string;
          headers?: Record<string, string>;
          body?: string;
        };
        return { method: built.method ?? 'POST', path: built.path ?? request.path ?? '/', headers: built.headers ?? {}, body: built.body };
      },
    });
    const sorted = Float64Array.from(result.latenciesMs).sort();
    const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
    return {
      label,
      cpuPerRequest: cpuPerRequestSince(sorted.length + result.warmupRequests),
      p50: at(0.5),
      p99: at(0.99),
      rps: sorted.length / result.seconds,
      requests: sorted.length,
      non2xx: result.failures,
      errors: 0,
      timeouts: 0,
    };
  }
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    requests: [request],
    initialContext: {},
  });
  return {
    label,
    cpuPerRequest: cpuPerRequestSince(result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function metric(gatewayUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function main(): Promise<void> {
  const databaseUrl = requireEnv('DATABASE_URL');
  const platformUrl = requireEnv('DATABASE_PLATFORM_URL');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = uniqueSuffix();

  // The fake providers live in a process of their own: in this one, a collection of the bench's
  // large heap (the request plans, autocannon's results) paused them for 10-15 ms at a time, which
  // showed up as slow turns although providers that answer at once are what is measured.
  const providers = await startFakeProviders();

  // One tenant, onboarded as the platform does.
  const platformDb = createDb({ url: platformUrl, poolMax: 1 });
  const number = uniquePhone();
  const industry = `bench-${runId}`;
  const customerId = await withPlatform(
    platformDb,
    { actor: 'bench', action: 'tenant.create', reason: 'call-turn benchmark' },
    async (tx) => {
      await publishBenchTemplate(tx, industry);
      const customer = await tx.customer.create({
        data: {
          businessName: `Benchmark ${runId}`,
          agentName: 'Sam',
          greeting: 'Hello, this is Sam. How can I help?',
          voiceId: `bench-voice-${runId}`,
          industry,
          templateVersion: 1,
          speechTimeoutSeconds: 3,
        },
      });
      await assignPhoneNumber(tx, { customerId: customer.id, e164: number });
      return customer.id;
    },
  );
  await platformDb.$disconnect();

  const [gatewayPort, orchestratorPort, barePort] = [await freePort(), await freePort(), await freePort()];
  const [aloneGatewayPort, instantOrchestratorPort] = [await freePort(), await freePort()];
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const { keys, twilioToken, sharedEnv: shared } = await callServiceSetup({ runId, databaseUrl, redisUrl, orchestratorPort, providers });
  // BENCH_CHILD_NODE_FLAGS (e.g. "--trace-gc", with BENCH_VERBOSE=1 to see it) go to the gateways and the orchestrator.
  const extraFlags = (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const devArgs = [...SERVICE_NODE_FLAGS, ...extraFlags, ...SOURCE_NODE_ARGS, 'src/main.ts'];
  const orchestrator = spawnNode(devArgs, path.join(repoRoot, 'apps', 'orchestrator'), {
    ...shared,
    PORT: String(orchestratorPort),
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keys.orchestrator.privateJwk),
  });
  const gateway = spawnNode(devArgs, path.join(repoRoot, 'apps', 'gateway'), {
    ...shared,
    PORT: String(gatewayPort),
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keys.gateway.privateJwk),
    TWILIO_AUTH_TOKEN: twilioToken,
    PUBLIC_BASE_URL: gatewayUrl,
  });
  const bare = spawnNode([...SERVICE_NODE_FLAGS, ...SOURCE_NODE_ARGS, __filename, '--bare-express', String(barePort)], repoRoot, {});
  // The same gateway in front of an orchestrator that answers at once: the gateway's own share.
  const aloneGatewayUrl = `http://127.0.0.1:${aloneGatewayPort}`;
  const instantOrchestrator = spawnNode(
    [...SERVICE_NODE_FLAGS, ...SOURCE_NODE_ARGS, __filename, '--instant-orchestrator', String(instantOrchestratorPort)],
    repoRoot,
    {},
  );
  const aloneGateway = spawnNode(devArgs, path.join(repoRoot, 'apps', 'gateway'), {
    ...shared,
    ORCHESTRATOR_URL: `http://127.0.0.1:${instantOrchestratorPort}`,
    PORT: String(aloneGatewayPort),
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keys.gateway.privateJwk),
    TWILIO_AUTH_TOKEN: twilioToken,
    PUBLIC_BASE_URL: aloneGatewayUrl,
  });
  await Promise.all([waitFor(`${gatewayUrl}/readyz`), waitFor(`${shared.ORCHESTRATOR_URL}/readyz`), waitFor(`${aloneGatewayUrl}/readyz`)]);
  await waitFor(`http://127.0.0.1:${barePort}/healthz`);
  if (process.env.BENCH_VERBOSE) {
    console.log(`pids: orchestrator ${orchestrator.pid}, gateway ${gateway.pid}, gateway alone ${aloneGateway.pid}, bare ${bare.pid}`);
  }

  // The calls: each connection owns CALLS_PER_CONNECTION calls and cycles through them.
  const calls: Array<{ callSid: string; from: string }> = [];
  for (let index = 0; index < CONNECTIONS * CALLS_PER_CONNECTION; index++) calls.push({ callSid: uniqueCallSid(), from: uniquePhone() });
  const startCall = async (call: { callSid: string; from: string }) => {
    const params = { CallSid: call.callSid, From: call.from, To: number, CallStatus: 'ringing' };
    const response = await fetch(`${gatewayUrl}/call/incoming`, {
      method: 'POST',
      ...signedForm(twilioToken, `${gatewayUrl}/call/incoming`, params),
    });
    const twiml = await response.text();
    return response.status === 200 && twiml.includes('<Gather');
  };
  // Freshly started apps answer their first requests slowly (module loading, first queries):
  // a few calls one at a time first, then the measured calls ten at a time.
  for (let index = 0; index < 10; index++) await startCall({ callSid: uniqueCallSid(), from: uniquePhone() });
  for (let index = 0; index < calls.length; index += 10) {
    const started = await Promise.all(calls.slice(index, index + 10).map(startCall));
    if (started.includes(false)) throw new Error('a call did not start (the gateway answered with a fallback); is the machine overloaded?');
  }
  // Calls used only to warm the services up, so warm-up turns do not lengthen the measured calls.
  const warmUpCalls = Array.from({ length: CONNECTIONS }, () => ({ callSid: uniqueCallSid(), from: uniquePhone() }));
  for (let index = 0; index < warmUpCalls.length; index += 10) {
    const started = await Promise.all(warmUpCalls.slice(index, index + 10).map(startCall));
    if (started.includes(false))
      throw new Error('a warm-up call did not start (the gateway answered with a fallback); is the machine overloaded?');
  }
  console.error(`tenant ${customerId}: ${calls.length} calls started (and ${warmUpCalls.length} for the warm-up)`);

  let nextConnection = 0;
  let utterance = 0;
  const turnRequest: autocannon.Request = {
    method: 'POST',
    path: '/call/turn',
    setupRequest: (request, context) => {
      const state = context as { connection?: number; turn?: number };
      state.connection ??= nextConnection++ % CONNECTIONS;
      state.turn = (state.turn ?? 0) + 1;
      const call = calls[state.connection * CALLS_PER_CONNECTION + (state.turn % CALLS_PER_CONNECTION)]!;
      const params = {
        CallSid: call.callSid,
        From: call.from,
        To: number,
        SpeechResult: `question number ${++utterance}`,
        Confidence: '0.9',
      };
      return { ...request, ...signedForm(twilioToken, `${gatewayUrl}/call/turn`, params) };
    },
  };
  const aloneRequest: autocannon.Request = {
    method: 'POST',
    path: '/call/turn',
    setupRequest: (request) => {
      const call = calls[randomInt(0, calls.length)]!;
      const params = {
        CallSid: call.callSid,
        From: call.from,
        To: number,
        SpeechResult: `question number ${++utterance}`,
        Confidence: '0.9',
      };
      return { ...request, ...signedForm(twilioToken, `${aloneGatewayUrl}/call/turn`, params) };
    },
  };
  const bareRequest: autocannon.Request = {
    method: 'POST',
    path: '/call/turn',
    setupRequest: (request) => ({
      ...request,
      ...signedForm(twilioToken, `http://127.0.0.1:${barePort}/call/turn`, { CallSid: uniqueCallSid(), To: number, SpeechResult: 'hello' }),
    }),
  };

  const warmUpRequest: autocannon.Request = {
    method: 'POST',
    path: '/call/turn',
    setupRequest: (request, context) => {
      const state = context as { connection?: number };
      state.connection ??= nextConnection++ % CONNECTIONS;
      const call = warmUpCalls[state.connection]!;
      const params = { CallSid: call.callSid, From: call.from, To: number, SpeechResult: `warm-up ${++utterance}`, Confidence: '0.9' };
      return { ...request, ...signedForm(twilioToken, `${gatewayUrl}/call/turn`, params) };
    },
  };
  // Steady state, not start-up: every server first answers WARMUP_SECONDS of unmeasured load, so
  // the turn path is compiled by V8's optimizing tiers before any latency is recorded (the first
  // run used to include a cold orchestrator's first turns).
  for (const [target, request] of [
    [gatewayUrl, warmUpRequest],
    [aloneGatewayUrl, aloneRequest],
    [`http://127.0.0.1:${barePort}`, bareRequest],
  ] as const) {
    await autocannon({ url: target, connections: CONNECTIONS, duration: WARMUP_SECONDS, requests: [request], initialContext: {} });
  }
  nextConnection = 0;

  const loadBefore = loadavg()[0]!;
  const fallbacksBefore = await metric(gatewayUrl, 'gateway_fallback_twiml_total');
  const alone = { gateway: aloneGateway, 'orchestrator stand-in': instantOrchestrator };
  const pacedGateway = await load(`gateway + orchestrator, paced ${RATE} req/s`, gatewayUrl, true, turnRequest, { gateway, orchestrator });
  const saturatedGateway = ONLY_PACED
    ? undefined
    : await load('gateway + orchestrator, saturation', gatewayUrl, false, turnRequest, { gateway, orchestrator });
  const pacedBare = await load(`bare Express 5, paced ${RATE} req/s`, `http://127.0.0.1:${barePort}`, true, bareRequest, { bare });
  const saturatedBare = ONLY_PACED
    ? undefined
    : await load('bare Express 5, saturation', `http://127.0.0.1:${barePort}`, false, bareRequest, { bare });
  const runs = [
    pacedGateway,
    saturatedGateway,
    pacedBare,
    saturatedBare,
    await load(`gateway alone (instant fake orchestrator), paced ${RATE} req/s`, aloneGatewayUrl, true, aloneRequest, alone),
    ONLY_PACED
      ? undefined
      : await load('gateway alone (instant fake orchestrator), saturation', aloneGatewayUrl, false, aloneRequest, alone),
  ].filter((run): run is Run => run !== undefined);
  const fallbacks = (await metric(gatewayUrl, 'gateway_fallback_twiml_total')) - fallbacksBefore;
  const aloneFallbacks = await metric(aloneGatewayUrl, 'gateway_fallback_twiml_total');

  const loadAfter = loadavg()[0]!;
  console.log(`\n/call/turn, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, ${calls.length} calls`);
  console.log(
    `machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (other work on the machine skews every figure)\n`,
  );
  console.log('| run | p50 ms | p99 ms | req/s | requests | non-2xx / errors / timeouts | server CPU ms per request |');
  console.log('|---|---|---|---|---|---|---|');
  for (const run of runs) {
    const cpu = Object.entries(run.cpuPerRequest)
      .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
      .join(', ');
    console.log(
      `| ${run.label} | ${run.p50.toFixed(1)} | ${run.p99.toFixed(1)} | ${run.rps.toFixed(0)} | ${run.requests} | ${run.non2xx} / ${run.errors} / ${run.timeouts} | ${cpu} |`,
    );
  }
  console.log(
    `\nratios gateway/bare: paced p50 ${(pacedGateway.p50 / Math.max(pacedBare.p50, 1)).toFixed(1)}x, paced p99 ${(pacedGateway.p99 / Math.max(pacedBare.p99, 1)).toFixed(1)}x` +
      (saturatedGateway && saturatedBare
        ? `, saturation throughput ${(saturatedGateway.rps / saturatedBare.rps).toFixed(3)}x (bare is ${(saturatedBare.rps / saturatedGateway.rps).toFixed(1)}x faster)`
        : ''),
  );
  console.log(`fallback TwiML answers during the gateway + orchestrator runs: ${fallbacks} (gateway alone: ${aloneFallbacks})`);
  console.log(`target p99 <= 30 ms at ${CONNECTIONS} concurrent calls (paced run): ${pacedGateway.p99 <= 30 ? 'met' : 'NOT met'}`);

  const rows: ResultRow[] = [
    {
      benchmark: 'call-turn',
      figure: `/call/turn p99, paced ${RATE} turns/s, ${CONNECTIONS} calls (gateway + orchestrator)`,
      service: `${pacedGateway.p99.toFixed(1)} ms`,
      bare: `${pacedBare.p99.toFixed(1)} ms`,
      ratio: ratio(pacedGateway.p99, pacedBare.p99),
      target: '<= 30 ms',
      met: pacedGateway.p99 <= 30,
    },
  ];
  if (saturatedGateway && saturatedBare) {
    rows.push({
      benchmark: 'call-turn',
      figure: `/call/turn throughput, ${CONNECTIONS} connections (saturation)`,
      service: `${saturatedGateway.rps.toFixed(0)} turns/s`,
      bare: `${saturatedBare.rps.toFixed(0)} req/s`,
      ratio: ratio(saturatedGateway.rps, saturatedBare.rps),
    });
  }
  const pacedAlone = runs.find((run) => run.label.startsWith('gateway alone') && run.label.includes('paced'));
  if (pacedAlone) {
    rows.push({
      benchmark: 'call-turn',
      figure: `/call/turn p99, paced ${RATE} turns/s, gateway alone (instant orchestrator)`,
      service: `${pacedAlone.p99.toFixed(1)} ms`,
      bare: `${pacedBare.p99.toFixed(1)} ms`,
      ratio: ratio(pacedAlone.p99, pacedBare.p99),
    });
  }
  const failedAnswers = fallbacks + aloneFallbacks + runs.reduce((sum, run) => sum + run.non2xx + run.errors + run.timeouts, 0);
  rows.push({
    benchmark: 'call-turn',
    figure: 'fallback TwiML answers, errors and non-2xx in all runs',
    service: String(failedAnswers),
    target: '0',
    met: failedAnswers === 0,
  });
  reportResults(rows);

  for (const child of children) child.kill('SIGTERM');
}
