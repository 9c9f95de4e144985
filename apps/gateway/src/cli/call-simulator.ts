/**
 * The call simulator: plays Twilio against a running gateway.
 *
 *   pnpm call -- --to <tenant number> --from <caller number> [--script <file>] [--transfer <outcome>] [--relay]
 *
 * Without --script, caller lines come from the keyboard (Enter on an empty line = silence,
 * Ctrl-D or "/hangup" = hang up). A script file has one caller line per line; "#" starts a
 * comment, "(silence)" is a silent turn, "(press 1)" presses keys, "(hangup)" hangs up; the end of
 * the file hangs up. --transfer says how a transfer ends: completed (default), no-answer, busy or
 * failed (the agent then comes back to the caller).
 *
 * --relay plays ConversationRelay instead of <Gather>: the tenant must be in relay mode; the
 * simulator opens the signed WebSocket, sends each caller line as a prompt and prints the streamed
 * tokens with their timing. "/interrupt" talks over the agent as soon as its answer starts, and
 * "/dtmf <key>" presses a key.
 *
 * Where the gateway is and how to sign:
 *   --gateway / GATEWAY_URL          where requests go (default http://127.0.0.1:5000)
 *   --public-url / PUBLIC_BASE_URL   the URL the gateway validates signatures against
 *                                    (default http://localhost:5000, the local stack's)
 *   --auth-token / TWILIO_AUTH_TOKEN the token of the Twilio account owning --to (a BYOK tenant's
 *                                    own token for its numbers). Looked up in the environment, then
 *                                    in .env and .local/env/gateway.env at the repository root.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, parseEnv } from 'node:util';
import { normalizePhone, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import { simulateCall } from './simulate-call';
import { simulateRelayCall } from './simulate-relay-call';
import type { RelaySimulatorEvent } from './simulate-relay-call';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function usage(message?: string): never {
  if (message) console.error(`error: ${message}\n`);
  console.error(
    'usage: pnpm call -- --to <tenant number> --from <caller number> [--script <file>] [--transfer completed|no-answer|busy|failed] [--relay] [--gateway <url>] [--public-url <url>] [--auth-token <token>]',
  );
  process.exit(2);
}

/** A variable from the environment, else from the env files the local stack reads or writes. */
function lookupSetting(name: string): { value: string; source: string } | undefined {
  const fromEnv = process.env[name];
  if (fromEnv) return { value: fromEnv, source: 'environment' };
  for (const file of [path.join(repoRoot, '.env'), path.join(repoRoot, '.local', 'env', 'gateway.env')]) {
    if (!existsSync(file)) continue;
    const value = parseEnv(readFileSync(file, 'utf8'))[name];
    if (value) return { value, source: path.relative(repoRoot, file) };
  }
  return undefined;
}

/** Caller lines from a script file. */
function scriptLines(file: string): () => Promise<string | null> {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return async () => {
    const line = lines.shift();
    if (line === undefined || line === '(hangup)') return null;
    return line === '(silence)' ? '' : line;
  };
}

/** Caller lines from the keyboard. */
function keyboardLines(): { next: () => Promise<string | null>; close: () => void } {
  const readline = createInterface({ input: process.stdin, output: process.stdout });
  let closed = false;
  readline.on('close', () => (closed = true));
  return {
    next: () =>
      closed
        ? Promise.resolve(null)
        : new Promise((resolve) => {
            const onClose = () => resolve(null);
            readline.once('close', onClose);
            readline.question('caller> ', (answer) => {
              readline.off('close', onClose);
              resolve(answer.trim() === '/hangup' ? null : answer);
            });
          }),
    close: () => readline.close(),
  };
}

function print(event: RelaySimulatorEvent): void {
  switch (event.type) {
    case 'relay-connected':
      console.log(`relay socket open: ${event.url}`);
      break;
    case 'relay-token':
      console.log(`  +${event.ms} ms ${JSON.stringify(event.token)}${event.last ? ' (last)' : ''}`);
      break;
    case 'relay-answer':
      console.log(`agent: ${event.text} [first token ${event.firstTokenMs ?? '-'} ms, done ${event.totalMs} ms]`);
      break;
    case 'relay-interrupt':
      console.log(`caller interrupts after hearing: ${JSON.stringify(event.heard)}`);
      break;
    case 'relay-end':
      console.log(`agent ends the relay session: ${event.handoffData}`);
      break;
    case 'started':
      console.log(`call ${event.callSid} ringing`);
      break;
    case 'agent-say':
      console.log(`agent: ${event.text}`);
      break;
    case 'agent-play': {
      const { audio } = event;
      const missing = 'error' in audio ? 'the audio could not be fetched' : `the audio came without ${SPEECH_TEXT_HEADER}`;
      console.log(`agent: ${event.text ?? `(words not available: ${missing})`}`);
      console.log(
        `  audio: ${event.url} ${'error' in audio ? `[audio fetch failed: ${audio.error}]` : `[${audio.contentType}, ${audio.bytes} bytes]`}`,
      );
      break;
    }
    case 'caller':
      if (!process.stdin.isTTY || event.text === null) console.log(`caller: ${event.text ?? '(silence or hang-up)'}`);
      break;
    case 'transfer':
      console.log(`agent transfers the call to ${event.number}`);
      break;
    case 'transfer-result':
      console.log(`transfer ended: ${event.status}`);
      break;
    case 'ended':
      console.log(`call ended by ${event.by}`);
      break;
    case 'status':
      console.log(`status callback sent: ${event.status}, ${event.durationSeconds} s (gateway answered ${event.httpStatus})`);
      break;
    case 'error':
      console.error(`error: ${event.message}`);
      break;
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      script: { type: 'string' },
      gateway: { type: 'string' },
      'public-url': { type: 'string' },
      'auth-token': { type: 'string' },
      transfer: { type: 'string' },
      relay: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) usage();
  const to = normalizePhone(values.to ?? '');
  const from = normalizePhone(values.from ?? '');
  if (!to) usage(values.to ? `--to ${values.to} is not a valid phone number` : '--to is required');
  if (!from) usage(values.from ? `--from ${values.from} is not a valid phone number` : '--from is required');

  const gatewayUrl = values.gateway ?? lookupSetting('GATEWAY_URL')?.value ?? 'http://127.0.0.1:5000';
  const publicBaseUrl = values['public-url'] ?? lookupSetting('PUBLIC_BASE_URL')?.value ?? 'http://localhost:5000';
  const token = values['auth-token'] ? { value: values['auth-token'], source: '--auth-token' } : lookupSetting('TWILIO_AUTH_TOKEN');
  if (!token) {
    usage('no Twilio auth token: set TWILIO_AUTH_TOKEN (the same one the gateway runs with), put it in .env, or pass --auth-token');
  }

  console.log(`calling ${to} from ${from} through ${gatewayUrl} (signing for ${publicBaseUrl}, token from ${token.source})`);
  const keyboard = values.script ? undefined : keyboardLines();
  const nextLine = values.script ? scriptLines(values.script) : keyboard!.next;
  if (keyboard) console.log('type what the caller says; Enter alone = silence, /hangup or Ctrl-D = hang up');
  try {
    const transferOutcome = values.transfer ?? 'completed';
    if (!['completed', 'no-answer', 'busy', 'failed'].includes(transferOutcome))
      usage(`--transfer ${transferOutcome} is not one of completed, no-answer, busy, failed`);
    const simulate = values.relay ? simulateRelayCall : simulateCall;
    const call = await simulate({ gatewayUrl, publicBaseUrl, authToken: token.value, to, from, nextLine, onEvent: print, transferOutcome });
    return call.events.some((event) => event.type === 'error') ? 1 : 0;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause) {
      console.error(`error: could not reach the gateway at ${gatewayUrl} (${cause.code ?? cause.message ?? 'unknown'})`);
      console.error('is it running? start the local stack with scripts/start, or pass --gateway');
      return 1;
    }
    throw error;
  } finally {
    keyboard?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  },
);
