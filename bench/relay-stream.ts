/**
 * Benchmark (not a test): the relay (ConversationRelay) path's own share of the time to first token.
 *
 * Run by `pnpm bench relay` (bench/run.ts gives it a PostgreSQL and a Redis of its own).
 *
 * The gateway and the orchestrator run as child processes from their sources (as in dev), on the
 * given PostgreSQL and Redis (migrated). OpenAI is a fake in its own process that streams like the
 * real API: the first token after BENCH_FIRST_TOKEN_MS (300), then one every BENCH_TOKEN_MS (20).
 * Memory and sms are fakes that answer at once.
 *
 * 1. Latency: BENCH_SESSIONS (200) relay sessions, each answered through /call/incoming, its signed
 *    socket opened and set up as Twilio does, then each sends a final prompt every
 *    BENCH_PROMPT_INTERVAL_MS (5000) for BENCH_DURATION seconds (60). Measured per prompt: the time
 *    from sending it to the first text token, minus the fake's first-token delay: the platform's
 *    own share (gateway socket, service JWT, orchestrator lock and state in Redis, prompt building,
 *    the SDK's streaming, NDJSON back, the token to the socket). The same load against a bare
 *    WebSocket server (the `ws` library, in its own process) that answers each prompt with a token
 *    after the same delay gives the floor of this machine, client and library.
 * 2. Capacity: sessions are opened (and set up) in steps of BENCH_CAPACITY_STEP (100) up to
 *    BENCH_MAX_SESSIONS (1000), each new step checked by one prompt on one of them; reports the
 *    most open sessions with no error.
 * Prints p50 / p99 of both, errors, and the capacity reached.
 */
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import twilio from 'twilio';
import WebSocket, { WebSocketServer } from 'ws';
import { assignPhoneNumber, createDb, withPlatform } from '@neurosphere/db';
import { freePort, startFakeOpenAI, startFakeServer, uniqueCallSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { publishBenchTemplate } from './lib/bench-template';
import { callServiceSetup } from './lib/call-services';
import { startNode, waitForHttp } from './lib/child-processes';
import { startFakeMemory } from './lib/fake-memory';
import { ratio, reportResults } from './lib/results';
import { requireEnv } from './lib/require-env';
import { SERVICE_NODE_FLAGS, SOURCE_NODE_ARGS } from './lib/source-node-args';

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 200);
const DURATION_SECONDS = Number(process.env.BENCH_DURATION ?? 60);
const PROMPT_INTERVAL_MS = Number(process.env.BENCH_PROMPT_INTERVAL_MS ?? 5000);
const FIRST_TOKEN_MS = Number(process.env.BENCH_FIRST_TOKEN_MS ?? 300);
const TOKEN_MS = Number(process.env.BENCH_TOKEN_MS ?? 20);
const MAX_SESSIONS = Number(process.env.BENCH_MAX_SESSIONS ?? 1000);
const CAPACITY_STEP = Number(process.env.BENCH_CAPACITY_STEP ?? 100);
const ANSWER = 'Certainly, we are open from nine to five on weekdays and ten to two on Saturdays.';
const repoRoot = path.resolve(__dirname, '..');

if (process.argv[2] === '--fake-providers') {
  void (async () => {
    const openai = await startFakeOpenAI(() => ({ content: ANSWER, firstTokenDelayMs: FIRST_TOKEN_MS, tokenDelayMs: TOKEN_MS }));
    const memory = await startFakeMemory();
    const sms = await startFakeServer({});
    // The fake keeps every request it saw; a long run would grow it without bound.
    setInterval(() => {
      openai.requests.length = 0;
      memory.requests.length = 0;
    }, 1000).unref();
    process.stdout.write(`${JSON.stringify({ openaiBaseUrl: openai.baseURL, memoryUrl: memory.url, smsUrl: sms.url })}\n`);
  })();
} else if (process.argv[2] === '--echo-server') {
  // The floor: a bare ws server answering each prompt with tokens after the fake model's delays.
  const wss = new WebSocketServer({ port: Number(process.argv[3]), host: '127.0.0.1' });
  wss.on('connection', (socket) => {
    // A new prompt ends the answer still streaming, as the relay path does: a late token of the
    // previous answer must not count as the first token of this one.
    let answering = 0;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string };
      if (message.type !== 'prompt') return;
      const answer = ++answering;
      const tokens = ANSWER.match(/\s*\S+/g) ?? [];
      let index = 0;
      const next = () => {
        if (socket.readyState !== socket.OPEN || answer !== answering) return;
        const token = tokens[index++];
        socket.send(JSON.stringify({ type: 'text', token: token ?? '', last: token === undefined }));
        if (token !== undefined) setTimeout(next, TOKEN_MS);
      };
      setTimeout(next, FIRST_TOKEN_MS);
    });
  });
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/** One relay session as Twilio plays it; `prompt()` resolves with the ms to the first text token. */
interface Session {
  prompt(): Promise<number>;
  close(): void;
}

async function openSocket(url: string, headers: Record<string, string>): Promise<{ socket: WebSocket; firstToken: () => Promise<number> }> {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  let waiting: ((ms: number) => void) | null = null;
  let sentAt = 0;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; token?: string };
    if (message.type === 'text' && message.token && waiting) {
      const resolve = waiting;
      waiting = null;
      resolve(performance.now() - sentAt);
    }
  });
  return {
    socket,
    firstToken: () =>
      new Promise<number>((resolve, reject) => {
        sentAt = performance.now();
        waiting = resolve;
        socket.send(JSON.stringify({ type: 'prompt', voicePrompt: 'What are your opening hours?', lang: 'en-US', last: true }));
        setTimeout(() => reject(new Error('no first token within 10 s')), 10_000).unref();
      }),
  };
}

async function openRelaySession(gatewayUrl: string, number: string, twilioToken: string): Promise<Session> {
  const callSid = uniqueCallSid();
  const params = { CallSid: callSid, From: uniquePhone(), To: number, CallStatus: 'ringing' };
  const incomingUrl = `${gatewayUrl}/call/incoming`;
  const response = await fetch(incomingUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(twilioToken, incomingUrl, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  const twiml = await response.text();
  const socketUrl = /<ConversationRelay [^>]*url="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
  if (!socketUrl) throw new Error(`not a relay answer: ${twiml.slice(0, 200)}`);
  const { socket, firstToken } = await openSocket(socketUrl, {
    'x-twilio-signature': twilio.getExpectedTwilioSignature(twilioToken, socketUrl, {}),
  });
  socket.send(JSON.stringify({ type: 'setup', sessionId: `VX${randomBytes(16).toString('hex')}`, callSid, from: params.From, to: number }));
  return { prompt: firstToken, close: () => socket.close() };
}

async function openEchoSession(echoUrl: string): Promise<Session> {
  const { socket, firstToken } = await openSocket(echoUrl, {});
  return { prompt: firstToken, close: () => socket.close() };
}

/** Every session prompts every PROMPT_INTERVAL_MS (spread evenly) for DURATION_SECONDS; the first-token times minus the model's delay. */
async function measure(sessions: Session[]): Promise<{ p50: number; p99: number; count: number; errors: number }> {
  const shares: number[] = [];
  let errors = 0;
  const endsAt = Date.now() + DURATION_SECONDS * 1000;
  await Promise.all(
    sessions.map(async (session, index) => {
      await new Promise((resolve) => setTimeout(resolve, (index * PROMPT_INTERVAL_MS) / sessions.length));
      while (Date.now() < endsAt) {
        const startedAt = Date.now();
        try {
          shares.push((await session.prompt()) - FIRST_TOKEN_MS);
        } catch {
          errors += 1;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROMPT_INTERVAL_MS - (Date.now() - startedAt))));
      }
    }),
  );
  const sorted = Float64Array.from(shares).sort();
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), count: sorted.length, errors };
}

async function main(): Promise<void> {
  const databaseUrl = requireEnv('DATABASE_URL');
  const platformUrl = requireEnv('DATABASE_PLATFORM_URL');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = uniqueSuffix();

  const delays = { BENCH_FIRST_TOKEN_MS: String(FIRST_TOKEN_MS), BENCH_TOKEN_MS: String(TOKEN_MS) };
  const providersProcess = startNode([...SERVICE_NODE_FLAGS, ...SOURCE_NODE_ARGS, __filename, '--fake-providers'], {
    cwd: repoRoot,
    env: delays,
    stdout: 'pipe',
  });
  const [line] = (await once(createInterface({ input: providersProcess.stdout! }), 'line')) as [string];
  const providers = JSON.parse(line) as { openaiBaseUrl: string; memoryUrl: string; smsUrl: string };

  // One relay tenant, onboarded as the platform does.
  const platformDb = createDb({ url: platformUrl, poolMax: 1 });
  const number = uniquePhone();
  const industry = `bench-relay-${runId}`;
  await withPlatform(platformDb, { actor: 'bench', action: 'tenant.create', reason: 'relay benchmark' }, async (tx) => {
    await publishBenchTemplate(tx, industry);
    const customer = await tx.customer.create({
      data: {
        businessName: `Relay benchmark ${runId}`,
        agentName: 'Sam',
        greeting: 'Hello, this is Sam.',
        voiceId: 'bench-voice',
        industry,
        templateVersion: 1,
        voiceMode: 'relay',
      },
    });
    await assignPhoneNumber(tx, { customerId: customer.id, e164: number });
  });
  await platformDb.$disconnect();

  const [gatewayPort, orchestratorPort, echoPort] = [await freePort(), await freePort(), await freePort()];
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const { keys, twilioToken, sharedEnv } = await callServiceSetup({ runId, databaseUrl, redisUrl, orchestratorPort, providers });
  const shared = {
    ...sharedEnv,
    // Every session prompts every few seconds; none is silent long enough to be re-prompted.
    RELAY_SILENCE_TIMEOUT_MS: '0',
  };
  const devArgs = [...SERVICE_NODE_FLAGS, ...SOURCE_NODE_ARGS, 'src/main.ts'];
  const orchestrator = startNode(devArgs, {
    cwd: path.join(repoRoot, 'apps', 'orchestrator'),
    env: { ...shared, PORT: String(orchestratorPort), SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keys.orchestrator.privateJwk) },
  });
  const gateway = startNode(devArgs, {
    cwd: path.join(repoRoot, 'apps', 'gateway'),
    env: {
      ...shared,
      PORT: String(gatewayPort),
      SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keys.gateway.privateJwk),
      TWILIO_AUTH_TOKEN: twilioToken,
      PUBLIC_BASE_URL: gatewayUrl,
    },
  });
  startNode([...SERVICE_NODE_FLAGS, ...SOURCE_NODE_ARGS, __filename, '--echo-server', String(echoPort)], { cwd: repoRoot, env: delays });
  await Promise.all([waitForHttp(`${gatewayUrl}/readyz`, gateway), waitForHttp(`${shared.ORCHESTRATOR_URL}/readyz`, orchestrator)]);

  // Warm-up: sessions one at a time until three in a row work (module loading, first queries:
  // a cold first start may time out and be answered on the gather path, as it should be), not measured.
  for (let attempt = 0, succeeded = 0; succeeded < 3; attempt++) {
    try {
      const session = await openRelaySession(gatewayUrl, number, twilioToken);
      await session.prompt();
      session.close();
      succeeded += 1;
    } catch (error) {
      if (attempt >= 20) throw error;
      succeeded = 0;
    }
  }

  const open = async (count: number, opener: () => Promise<Session>) => {
    const sessions: Session[] = [];
    for (let index = 0; index < count; index += 20)
      sessions.push(...(await Promise.all(Array.from({ length: Math.min(20, count - index) }, opener))));
    return sessions;
  };
  console.error(`opening ${SESSIONS} relay sessions and ${SESSIONS} echo sessions`);
  const relaySessions = await open(SESSIONS, () => openRelaySession(gatewayUrl, number, twilioToken));
  const echoSessions = await open(SESSIONS, () => openEchoSession(`ws://127.0.0.1:${echoPort}`));
  console.error(`measuring for ${DURATION_SECONDS} s (a prompt every ${PROMPT_INTERVAL_MS} ms per session)`);
  const [relay, echo] = await Promise.all([measure(relaySessions), measure(echoSessions)]);
  relaySessions.forEach((session) => session.close());
  echoSessions.forEach((session) => session.close());

  // Capacity: open sessions in steps; each step is checked by one prompt on its newest session.
  const held: Session[] = [];
  let capacity = 0;
  let capacityError = '';
  while (held.length < MAX_SESSIONS) {
    try {
      const step = await open(Math.min(CAPACITY_STEP, MAX_SESSIONS - held.length), () => openRelaySession(gatewayUrl, number, twilioToken));
      held.push(...step);
      await step.at(-1)!.prompt();
      capacity = held.length;
    } catch (error) {
      capacityError = (error as Error).message;
      break;
    }
  }
  held.forEach((session) => session.close());

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(`model: first token after ${FIRST_TOKEN_MS} ms, then a token every ${TOKEN_MS} ms`);
  console.log(`${SESSIONS} sessions, a prompt every ${PROMPT_INTERVAL_MS} ms each, ${DURATION_SECONDS} s`);
  console.log(
    `relay (gateway + orchestrator): platform share p50 ${ms(relay.p50)}, p99 ${ms(relay.p99)} (${relay.count} prompts, ${relay.errors} errors)`,
  );
  console.log(
    `bare ws echo server:            share p50 ${ms(echo.p50)}, p99 ${ms(echo.p99)} (${echo.count} prompts, ${echo.errors} errors)`,
  );
  console.log(
    `open sessions held with no error: ${capacity} of ${MAX_SESSIONS} tried${capacityError ? ` (stopped: ${capacityError})` : ''}`,
  );

  const figure = `first token minus the model's ${FIRST_TOKEN_MS} ms, ${SESSIONS} sessions prompting every ${PROMPT_INTERVAL_MS / 1000} s`;
  reportResults([
    { benchmark: 'relay', figure: `p50 ${figure}`, service: ms(relay.p50), bare: ms(echo.p50), ratio: ratio(relay.p50, echo.p50) },
    {
      benchmark: 'relay',
      figure: `p99 ${figure}`,
      service: ms(relay.p99),
      bare: ms(echo.p99),
      ratio: ratio(relay.p99, echo.p99),
      target: '< 25 ms',
      met: relay.p99 < 25,
    },
    {
      benchmark: 'relay',
      figure: 'prompts without a first token (errors)',
      service: String(relay.errors),
      bare: String(echo.errors),
      target: '0',
      met: relay.errors === 0,
    },
    {
      benchmark: 'relay',
      figure: 'open relay sessions held with no error',
      service: String(capacity),
      target: '>= 1000',
      met: capacity >= 1000,
    },
  ]);
}
