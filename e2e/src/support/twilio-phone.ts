import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { uniqueAccountSid, uniqueCallSid } from '@neurosphere/testing';
import { XMLParser } from 'fast-xml-parser';
import twilio from 'twilio';
import WebSocket from 'ws';

/** One TwiML verb as Twilio would execute it. */
export interface TwimlVerb {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlVerb[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  preserveOrder: true,
  parseTagValue: false,
  trimValues: false,
});

type Preserved = Record<string, unknown> & { ':@'?: Record<string, string> };

function toVerbs(nodes: Preserved[]): TwimlVerb[] {
  return nodes.flatMap((node) => {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name === '#text' || name === '?xml') return [];
    const content = (node[name] ?? []) as Preserved[];
    return [
      {
        name,
        attributes: node[':@'] ?? {},
        text: content.flatMap((child) => ('#text' in child ? [String(child['#text'])] : [])).join(''),
        children: toVerbs(content),
      },
    ];
  });
}

/** The verbs of a TwiML <Response>; throws on anything else. */
export function parseTwiml(xml: string): TwimlVerb[] {
  const [response, ...rest] = toVerbs(parser.parse(xml) as Preserved[]);
  if (!response || response.name !== 'Response' || rest.length > 0) throw new Error(`not a TwiML response: ${xml}`);
  return response.children;
}

/** What the caller heard in one TwiML answer and what Twilio would do next. */
export interface AgentAnswer {
  /** <Play> URLs and <Say> texts, in order. */
  speech: Array<{ play: string } | { say: string }>;
  next: { gather: { action: string; speechTimeout: string } } | { dial: string } | { hangup: true };
  twiml: string;
}

export function readAnswer(twiml: string): AgentAnswer {
  const verbs = parseTwiml(twiml);
  const speech: AgentAnswer['speech'] = [];
  const speak = (verb: TwimlVerb) => {
    if (verb.name === 'Play') speech.push({ play: verb.text.trim() });
    if (verb.name === 'Say') speech.push({ say: verb.text });
  };
  for (const verb of verbs) {
    if (verb.name === 'Gather') {
      verb.children.forEach(speak);
      return {
        speech,
        next: { gather: { action: verb.attributes.action ?? '', speechTimeout: verb.attributes.speechTimeout ?? '' } },
        twiml,
      };
    }
    if (verb.name === 'Dial') return { speech, next: { dial: verb.text.trim() }, twiml };
    if (verb.name === 'Hangup') return { speech, next: { hangup: true }, twiml };
    speak(verb);
  }
  return { speech, next: { hangup: true }, twiml };
}

/**
 * One phone call as Twilio places it against the gateway: every webhook form-encoded and signed
 * with `twilio.getExpectedTwilioSignature` over the gateway's public URL, the turn posted to the
 * URL the last <Gather> named.
 */
export class TwilioCall {
  readonly callSid = uniqueCallSid();
  private readonly accountSid = uniqueAccountSid();
  private gatherAction: string | undefined;

  constructor(
    private readonly options: {
      /** The gateway's PUBLIC_BASE_URL (where it listens, in this test). */
      gatewayUrl: string;
      /** Token of the Twilio account owning `to`. */
      authToken: string;
      from: string;
      to: string;
    },
  ) {}

  private get base() {
    return {
      CallSid: this.callSid,
      AccountSid: this.accountSid,
      From: this.options.from,
      To: this.options.to,
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    };
  }

  private async post(url: string, params: Record<string, string>): Promise<Response> {
    const signature = twilio.getExpectedTwilioSignature(this.options.authToken, url, params);
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
  }

  private async answer(url: string, params: Record<string, string>): Promise<AgentAnswer> {
    const response = await this.post(url, params);
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${text}`);
    const answer = readAnswer(text);
    this.gatherAction = 'gather' in answer.next ? answer.next.gather.action : undefined;
    return answer;
  }

  /** The call rings: the agent's greeting. */
  start(): Promise<AgentAnswer> {
    return this.answer(`${this.options.gatewayUrl}/call/incoming`, { ...this.base, CallStatus: 'ringing' });
  }

  /** The caller says something (null: stays silent) in answer to the last <Gather>. */
  say(speech: string | null): Promise<AgentAnswer> {
    if (!this.gatherAction) throw new Error('the agent is not listening (no <Gather> in its last answer)');
    return this.answer(this.gatherAction, {
      ...this.base,
      CallStatus: 'in-progress',
      ...(speech === null ? {} : { SpeechResult: speech, Confidence: '0.93' }),
    });
  }

  /** Twilio's status callback at the end of the call. */
  async end(status = 'completed', durationSeconds = 30): Promise<number> {
    const response = await this.post(`${this.options.gatewayUrl}/call/status`, {
      ...this.base,
      CallStatus: status,
      CallDuration: String(durationSeconds),
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Fetches a <Play> URL as Twilio does (no signature: the token is the secret). */
  static async fetchAudio(url: string): Promise<Buffer> {
    const response = await fetch(url);
    const audio = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    return audio;
  }
}

/** What Twilio is told to do when a relay tenant's call rings. */
export interface RelayAnswer {
  /** The spoken greeting (welcomeGreeting), in the tenant's voice. */
  greeting: string;
  voice: string;
  socketUrl: string;
}

/**
 * One call in ConversationRelay mode as Twilio places it
 * (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages): the signed incoming
 * webhook answered with `<Connect><ConversationRelay>`, the signed socket handshake, `setup`, then
 * final `prompt`s whose answers arrive as `text` tokens until `last`.
 */
export class RelayCall {
  readonly callSid = uniqueCallSid();
  private readonly accountSid = uniqueAccountSid();
  private socket: WebSocket | undefined;
  private readonly received: Array<Record<string, unknown>> = [];
  private onMessage: (() => void) | undefined;
  private closedWith: number | undefined;

  constructor(private readonly options: { gatewayUrl: string; authToken: string; from: string; to: string }) {}

  private get base() {
    return {
      CallSid: this.callSid,
      AccountSid: this.accountSid,
      From: this.options.from,
      To: this.options.to,
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    };
  }

  private post(url: string, params: Record<string, string>): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(this.options.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  /** The call rings: the TwiML answer, then the socket opened and set up. */
  async start(): Promise<RelayAnswer> {
    const response = await this.post(`${this.options.gatewayUrl}/call/incoming`, { ...this.base, CallStatus: 'ringing' });
    const twiml = await response.text();
    const relay = parseTwiml(twiml)
      .find((verb) => verb.name === 'Connect')
      ?.children.find((verb) => verb.name === 'ConversationRelay');
    if (response.status !== 200 || !relay?.attributes.url)
      throw new Error(`expected <Connect><ConversationRelay>, got ${response.status}: ${twiml}`);
    const socketUrl = relay.attributes.url;
    const socket = new WebSocket(socketUrl, {
      headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(this.options.authToken, socketUrl, {}) },
    });
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.onMessage?.();
    });
    socket.on('close', (code) => {
      this.closedWith = code;
      this.onMessage?.();
    });
    await once(socket, 'open');
    this.socket = socket;
    socket.send(
      JSON.stringify({
        type: 'setup',
        sessionId: `VX${randomBytes(16).toString('hex')}`,
        accountSid: this.accountSid,
        callSid: this.callSid,
        from: this.options.from,
        to: this.options.to,
        direction: 'inbound',
        callStatus: 'RINGING',
        customParameters: {},
      }),
    );
    return { greeting: relay.attributes.welcomeGreeting ?? '', voice: relay.attributes.voice ?? '', socketUrl };
  }

  /** The caller finishes a sentence: the agent's streamed answer, its tokens joined. */
  async say(voicePrompt: string): Promise<string> {
    if (!this.socket) throw new Error('the call has no socket (start it first)');
    const from = this.received.length;
    this.socket.send(JSON.stringify({ type: 'prompt', voicePrompt, lang: 'en-US', last: true }));
    for (;;) {
      const tokens = this.received.slice(from).filter((message) => message.type === 'text');
      if (tokens.some((message) => message.last === true)) return tokens.map((message) => String(message.token)).join('');
      if (this.closedWith !== undefined) throw new Error(`the gateway closed the socket (${this.closedWith}) before the answer ended`);
      await new Promise<void>((resolve) => (this.onMessage = resolve));
    }
  }

  /** The caller hangs up: Twilio closes the socket, then sends the status callback. */
  async end(durationSeconds = 30): Promise<number> {
    this.socket?.close();
    const response = await this.post(`${this.options.gatewayUrl}/call/status`, {
      ...this.base,
      CallStatus: 'completed',
      CallDuration: String(durationSeconds),
    });
    await response.arrayBuffer();
    return response.status;
  }
}
