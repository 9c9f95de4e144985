import { randomBytes } from 'node:crypto';
import { decodeSpeechTextHeader, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import twilio from 'twilio';
import { parseTwiml } from './read-twiml';
import type { TwimlNode } from './read-twiml';

/** What happened during a simulated call, in order (the CLI prints these; tests read them). */
export type SimulatorEvent =
  | { type: 'started'; callSid: string }
  | { type: 'agent-say'; text: string }
  | {
      type: 'agent-play';
      url: string;
      /** The words, from the relay's X-Speech-Text header; undefined when the audio was not fetched, could not be, or came without them. */
      text: string | undefined;
      audio: { contentType: string; bytes: number } | { error: string };
    }
  | { type: 'caller'; text: string | null }
  | { type: 'transfer'; number: string }
  /** How the simulated transfer ended, as reported to the <Dial action>. */
  | { type: 'transfer-result'; status: string }
  | { type: 'ended'; by: 'agent' | 'caller' | 'error' }
  | { type: 'status'; status: string; durationSeconds: number; httpStatus: number }
  | { type: 'error'; message: string };

export interface SimulateCallOptions {
  /** Where requests actually go, e.g. http://127.0.0.1:5000. */
  gatewayUrl: string;
  /** The public URL the gateway believes Twilio calls (PUBLIC_BASE_URL): signatures cover it. */
  publicBaseUrl: string;
  /** The auth token of the Twilio account owning `to` (the platform's, or a BYOK tenant's). */
  authToken: string;
  /** The tenant number called. */
  to: string;
  /** The caller's number. */
  from: string;
  /**
   * The caller's next line: text, '' for silence, "(press 1)" for keypad digits, null to hang up.
   * Called each time the agent gathers speech.
   */
  nextLine: () => Promise<string | null>;
  onEvent: (event: SimulatorEvent) => void;
  /** Fetch each <Play> URL through the gateway to check the audio relay (default true). */
  fetchAudio?: boolean;
  /** Stop after this many gathers even if the script continues (default 50). */
  maxTurns?: number;
  /**
   * How a <Dial> ends (Twilio's DialCallStatus): `completed` (default: the person answered and the
   * call ended), or `no-answer`, `busy`, `failed` to hear what the agent does when nobody picks up.
   */
  transferOutcome?: string;
  /**
   * Go on with a call already under way instead of placing one: the first request goes to `url`
   * with `params` (the relay simulator's `<Connect action>` callback, once its session ended).
   */
  continueFrom?: { callSid: string; accountSid: string; startedAt: number; url: string; params: Record<string, string> };
}

export interface SimulatedCall {
  callSid: string;
  events: SimulatorEvent[];
}

/**
 * Plays Twilio against a gateway: posts the incoming-call webhook, follows the TwiML it gets back
 * (says and plays, gathers speech from `nextLine`, posts each turn to the gather's action URL, stops
 * at a dial or hang-up) and finally posts the status callback. Every request is signed exactly as
 * Twilio signs it: HMAC-SHA1 of the public URL plus the sorted form parameters.
 */
export async function simulateCall(options: SimulateCallOptions): Promise<SimulatedCall> {
  const events: SimulatorEvent[] = [];
  const emit = (event: SimulatorEvent) => {
    events.push(event);
    options.onEvent(event);
  };
  const { continueFrom } = options;
  const callSid = continueFrom?.callSid ?? `CA${randomBytes(16).toString('hex')}`;
  const accountSid = continueFrom?.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const base = {
    CallSid: callSid,
    AccountSid: accountSid,
    From: options.from,
    To: options.to,
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
  };
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const startedAt = continueFrom?.startedAt ?? Date.now();

  const post = (publicUrl: string, params: Record<string, string>) => postAsTwilio(options, publicUrl, params);

  if (!continueFrom) emit({ type: 'started', callSid });
  let url = continueFrom?.url ?? `${publicBaseUrl}/call/incoming`;
  let params: Record<string, string> = { ...base, ...(continueFrom ? continueFrom.params : { CallStatus: 'ringing' }) };
  let turns = 0;
  let endedBy: 'agent' | 'caller' | 'error' = 'agent';

  conversation: for (;;) {
    const response = await post(url, params);
    const text = await response.text();
    if (response.status !== 200) {
      emit({ type: 'error', message: `${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}` });
      endedBy = 'error';
      break;
    }
    let verbs: TwimlNode[];
    try {
      verbs = parseTwiml(text);
    } catch (error) {
      emit({ type: 'error', message: (error as Error).message });
      endedBy = 'error';
      break;
    }

    let gather: TwimlNode | undefined;
    for (const verb of verbs) {
      if (verb.name === 'Say' || verb.name === 'Play') {
        await speak(verb);
      } else if (verb.name === 'Gather') {
        for (const child of verb.children) await speak(child);
        gather = verb;
        break;
      } else if (verb.name === 'Dial') {
        emit({ type: 'transfer', number: (verb.children.find((child) => child.name === 'Number')?.text ?? verb.text).trim() });
        const outcome = options.transferOutcome ?? 'completed';
        // Without an action Twilio ends the call after the dial; with one it asks what comes next.
        if (!verb.attributes.action) break conversation;
        emit({ type: 'transfer-result', status: outcome });
        url = new URL(verb.attributes.action, url).toString();
        params = { ...base, CallStatus: 'in-progress', DialCallStatus: outcome };
        continue conversation;
      } else if (verb.name === 'Hangup') {
        break conversation;
      }
    }
    // TwiML that runs out of verbs ends the call, as on Twilio.
    if (!gather) break;
    if (++turns > (options.maxTurns ?? 50)) {
      emit({ type: 'error', message: `stopped after ${options.maxTurns ?? 50} turns` });
      endedBy = 'error';
      break;
    }

    const line = await options.nextLine();
    if (line === null) {
      emit({ type: 'caller', text: null });
      endedBy = 'caller';
      break;
    }
    const said = line.trim();
    emit({ type: 'caller', text: said === '' ? null : said });
    url = new URL(gather.attributes.action ?? '', url).toString();
    // "(press 1)": the caller presses keys instead of speaking.
    const keys = /^\(press ([0-9*#]+)\)$/.exec(said)?.[1];
    const input: Record<string, string> = keys ? { Digits: keys } : said === '' ? {} : { SpeechResult: said, Confidence: '0.92' };
    params = { ...base, CallStatus: 'in-progress', ...input };
  }

  await endSimulatedCall(options, { base, startedAt, endedBy, emit });
  return { callSid, events };

  async function speak(verb: TwimlNode): Promise<void> {
    if (verb.name === 'Say') {
      emit({ type: 'agent-say', text: verb.text });
    } else if (verb.name === 'Play') {
      const playUrl = verb.text.trim();
      const fetched =
        options.fetchAudio === false ? { text: undefined, audio: { contentType: 'not fetched', bytes: 0 } } : await fetchAudio(playUrl);
      emit({ type: 'agent-play', url: playUrl, ...fetched });
    }
  }

  async function fetchAudio(playUrl: string): Promise<Pick<Extract<SimulatorEvent, { type: 'agent-play' }>, 'text' | 'audio'>> {
    try {
      const response = await fetch(toGatewayUrl(options.gatewayUrl, playUrl));
      const audio = Buffer.from(await response.arrayBuffer());
      if (response.status !== 200) return { text: undefined, audio: { error: `HTTP ${response.status}` } };
      return {
        text: decodeSpeechTextHeader(response.headers.get(SPEECH_TEXT_HEADER)),
        audio: { contentType: response.headers.get('content-type') ?? 'unknown', bytes: audio.length },
      };
    } catch (error) {
      return { text: undefined, audio: { error: (error as Error).message } };
    }
  }
}

/** Posts a form to the gateway signed exactly as Twilio signs it: HMAC-SHA1 of the public URL plus the sorted parameters. */
export function postAsTwilio(
  options: Pick<SimulateCallOptions, 'authToken' | 'gatewayUrl'>,
  publicUrl: string,
  params: Record<string, string>,
): Promise<Response> {
  const signature = twilio.getExpectedTwilioSignature(options.authToken, publicUrl, params);
  return fetch(toGatewayUrl(options.gatewayUrl, publicUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  });
}

/** The call is over: Twilio's status callback, with the call's duration, as the last request. */
export async function endSimulatedCall(
  options: Pick<SimulateCallOptions, 'authToken' | 'gatewayUrl' | 'publicBaseUrl'>,
  call: { base: Record<string, string>; startedAt: number; endedBy: 'agent' | 'caller' | 'error'; emit: (event: SimulatorEvent) => void },
): Promise<void> {
  const { emit, endedBy } = call;
  emit({ type: 'ended', by: endedBy });
  const durationSeconds = Math.max(1, Math.round((Date.now() - call.startedAt) / 1000));
  const status = endedBy === 'error' ? 'failed' : 'completed';
  const publicBaseUrl = options.publicBaseUrl.replace(/\/+$/, '');
  const response = await postAsTwilio(options, `${publicBaseUrl}/call/status`, {
    ...call.base,
    CallStatus: status,
    CallDuration: String(durationSeconds),
  });
  await response.arrayBuffer();
  emit({ type: 'status', status, durationSeconds, httpStatus: response.status });
}

/** The public URL's path and query, sent to where the gateway really listens. */
export function toGatewayUrl(gatewayUrl: string, publicUrl: string): string {
  const parsed = new URL(publicUrl);
  return `${gatewayUrl.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
}
