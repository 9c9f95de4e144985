import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import WebSocket from 'ws';
import { parseTwiml } from './read-twiml';
import { endSimulatedCall, postAsTwilio, simulateCall, toGatewayUrl } from './simulate-call';
import type { SimulateCallOptions, SimulatedCall, SimulatorEvent } from './simulate-call';

/** What a relay call adds to the simulator's events. */
export type RelaySimulatorEvent =
  | SimulatorEvent
  | { type: 'relay-connected'; url: string }
  /** One streamed token, `ms` after the caller's prompt was sent. */
  | { type: 'relay-token'; token: string; last: boolean; ms: number }
  | { type: 'relay-answer'; text: string; firstTokenMs: number | null; totalMs: number }
  | { type: 'relay-interrupt'; heard: string }
  | { type: 'relay-end'; handoffData: string };

export interface SimulateRelayCallOptions extends Omit<SimulateCallOptions, 'onEvent' | 'fetchAudio' | 'continueFrom'> {
  onEvent: (event: RelaySimulatorEvent) => void;
}

/** How long after an answer's last token an `end` still belongs to it. */
const END_GRACE_MS = 250;

/** Waits for a socket message matching `check`, or the socket closing (then null). */
class Inbox {
  private readonly messages: Array<Record<string, unknown>> = [];
  private waiter: (() => void) | undefined;
  closed = false;

  constructor(socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
  }

  async next(): Promise<Record<string, unknown> | null> {
    while (this.messages.length === 0 && !this.closed) await new Promise<void>((resolve) => (this.waiter = resolve));
    return this.messages.shift() ?? null;
  }

  /** The next message if it is `end` and arrives within `ms` (the agent sends it right after its last token). */
  async endWithin(ms: number): Promise<Record<string, unknown> | null> {
    if (this.messages.length === 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.messages[0]?.type === 'end' ? (this.messages.shift() ?? null) : null;
  }
}

/**
 * Plays Twilio's ConversationRelay against a gateway: posts the incoming-call webhook, expects
 * `<Connect><ConversationRelay>`, opens the signed WebSocket, sends `setup`, then each caller line
 * as a final `prompt` and prints the streamed tokens with their timing. Script lines `/interrupt`
 * (talk over the agent as soon as its answer starts) and `/dtmf <key>` (press a key) play the
 * other caller events. An `end` from the agent posts the `<Connect action>` callback and follows
 * its TwiML (a transfer, a hang-up); a hang-up by the caller closes the socket. The status
 * callback comes last, as on Twilio.
 */
export async function simulateRelayCall(options: SimulateRelayCallOptions): Promise<SimulatedCall> {
  const events: RelaySimulatorEvent[] = [];
  const emit = (event: RelaySimulatorEvent) => {
    events.push(event);
    options.onEvent(event);
  };
  const callSid = `CA${randomBytes(16).toString('hex')}`;
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const base = {
    CallSid: callSid,
    AccountSid: accountSid,
    From: options.from,
    To: options.to,
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
  };
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const startedAt = Date.now();
  /** The call as the plain simulator reports it (the relay's own events are printed, not returned). */
  const called = (): SimulatedCall => ({
    callSid,
    events: events.filter((event): event is SimulatorEvent => !event.type.startsWith('relay-')),
  });
  const finish = async (endedBy: 'agent' | 'caller' | 'error') => {
    await endSimulatedCall(options, { base, startedAt, endedBy, emit });
    return called();
  };

  emit({ type: 'started', callSid });
  const incoming = await postAsTwilio(options, `${publicBaseUrl}/call/incoming`, { ...base, CallStatus: 'ringing' });
  const twiml = await incoming.text();
  const connect = incoming.status === 200 ? parseTwiml(twiml).find((verb) => verb.name === 'Connect') : undefined;
  const relay = connect?.children.find((child) => child.name === 'ConversationRelay');
  if (!connect || !relay?.attributes.url) {
    emit({
      type: 'error',
      message: `expected <Connect><ConversationRelay> (is the tenant in relay mode?), got ${incoming.status}: ${twiml.slice(0, 300)}`,
    });
    return finish('error');
  }
  if (relay.attributes.welcomeGreeting) emit({ type: 'agent-say', text: relay.attributes.welcomeGreeting });

  const socketUrl = relay.attributes.url;
  const signature = twilio.getExpectedTwilioSignature(options.authToken, socketUrl, {});
  const socket = new WebSocket(toGatewayUrl(options.gatewayUrl.replace(/^http/, 'ws'), socketUrl), {
    headers: { 'x-twilio-signature': signature },
  });
  const inbox = new Inbox(socket);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('unexpected-response', (_req, res) => reject(new Error(`the gateway refused the socket: HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  } catch (error) {
    emit({ type: 'error', message: (error as Error).message });
    return finish('error');
  }
  emit({ type: 'relay-connected', url: socketUrl });
  socket.send(
    JSON.stringify({
      type: 'setup',
      sessionId: `VX${randomBytes(16).toString('hex')}`,
      accountSid,
      parentCallSid: '',
      callSid,
      from: options.from,
      to: options.to,
      forwardedFrom: '',
      callType: 'PSTN',
      callerName: '',
      direction: 'inbound',
      callStatus: 'RINGING',
      customParameters: {},
    }),
  );

  let handoffData: string | null = null;
  let pendingLine: string | null | undefined;
  const nextLine = async () => {
    if (pendingLine !== undefined) {
      const line = pendingLine;
      pendingLine = undefined;
      return line;
    }
    return options.nextLine();
  };

  /** Reads the agent's answer; with `interruptible`, stops after the first token when the next line is /interrupt. */
  const readAnswer = async (sentAt: number, interruptible: boolean) => {
    let text = '';
    let firstTokenMs: number | null = null;
    for (;;) {
      const message = await inbox.next();
      if (!message) return;
      if (message.type === 'end') {
        handoffData = String(message.handoffData ?? '');
        emit({ type: 'relay-end', handoffData });
        return;
      }
      if (message.type !== 'text') continue;
      const ms = Date.now() - sentAt;
      const token = String(message.token ?? '');
      if (token) firstTokenMs ??= ms;
      text += token;
      emit({ type: 'relay-token', token, last: message.last === true, ms });
      if (message.last === true) {
        emit({ type: 'relay-answer', text, firstTokenMs, totalMs: ms });
        const end = await inbox.endWithin(END_GRACE_MS);
        if (end) {
          handoffData = String(end.handoffData ?? '');
          emit({ type: 'relay-end', handoffData });
        }
        return;
      }
      if (interruptible && firstTokenMs !== null) {
        pendingLine = await options.nextLine();
        if (pendingLine?.trim() === '/interrupt') {
          pendingLine = undefined;
          emit({ type: 'relay-interrupt', heard: text });
          socket.send(JSON.stringify({ type: 'interrupt', utteranceUntilInterrupt: text, durationUntilInterruptMs: ms }));
          return;
        }
        interruptible = false;
      }
    }
  };

  let turns = 0;
  let endedBy: 'agent' | 'caller' | 'error' = 'agent';
  while (handoffData === null && !inbox.closed) {
    if (++turns > (options.maxTurns ?? 50)) {
      emit({ type: 'error', message: `stopped after ${options.maxTurns ?? 50} turns` });
      endedBy = 'error';
      break;
    }
    const line = await nextLine();
    if (line === null) {
      emit({ type: 'caller', text: null });
      endedBy = 'caller';
      break;
    }
    const said = line.trim();
    if (said === '' || said === '/interrupt') continue;
    const dtmf = /^\/dtmf\s+([0-9*#])$/.exec(said);
    emit({ type: 'caller', text: dtmf ? `(presses ${dtmf[1]})` : said });
    const sentAt = Date.now();
    socket.send(JSON.stringify(dtmf ? { type: 'dtmf', digit: dtmf[1] } : { type: 'prompt', voicePrompt: said, lang: 'en-US', last: true }));
    await readAnswer(sentAt, true);
  }

  if (handoffData !== null) {
    // Twilio ends the session and asks the <Connect action> what comes next; the call goes on from
    // its TwiML as any call does (a transfer, and what follows it; a hang-up).
    socket.close();
    await simulateCall({
      ...options,
      onEvent: emit,
      continueFrom: {
        callSid,
        accountSid,
        startedAt,
        url: connect.attributes.action ?? `${publicBaseUrl}/call/relay-ended`,
        params: { CallStatus: 'in-progress', SessionStatus: 'ended', HandoffData: handoffData },
      },
    });
    return called();
  }
  // The caller hangs up: Twilio closes the socket.
  socket.close();
  if (inbox.closed && endedBy === 'agent') endedBy = 'error';
  return finish(endedBy);
}
