import type { RelaySession } from '@neurosphere/contracts';
import twilio from 'twilio';

/** Where Twilio opens the call's socket and where it posts when the session ends (paths on the gateway). */
export const RELAY_SOCKET_PATH = '/relay/socket';
export const RELAY_ENDED_PATH = '/call/relay-ended';

/** The public wss:// origin of the gateway (TLS ends at the proxy in front of it, as for the webhooks). */
export function relaySocketOrigin(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/^http/, 'ws');
}

/**
 * The socket URL Twilio connects to for one call. The called number picks the Twilio account
 * whose token checks the handshake's signature, and the call sid binds the socket to its call:
 * both are in the URL Twilio signs, so neither can be swapped without breaking the signature.
 */
export function relaySocketUrl(publicBaseUrl: string, options: { called: string; callSid: string }): string {
  const query = new URLSearchParams({ number: options.called, call: options.callSid });
  return `${relaySocketOrigin(publicBaseUrl)}${RELAY_SOCKET_PATH}?${query.toString()}`;
}

/**
 * `<Connect action><ConversationRelay/></Connect>` for a relay call, written with the twilio
 * library: Twilio speaks the greeting and every answer with the tenant's ElevenLabs voice,
 * recognizes speech in the tenant's language with the tenant's hints, lets the caller interrupt
 * by voice or keypad and reports keys pressed. When the session ends, Twilio posts to the action
 * URL, whose answer (a transfer, a hang-up) ends the call.
 */
export function renderRelayTwiml(options: {
  session: RelaySession;
  publicBaseUrl: string;
  called: string;
  callSid: string;
  language: string;
}): string {
  const { session, publicBaseUrl } = options;
  const response = new twilio.twiml.VoiceResponse();
  const connect = response.connect({ action: `${publicBaseUrl}${RELAY_ENDED_PATH}`, method: 'POST' });
  connect.conversationRelay({
    url: relaySocketUrl(publicBaseUrl, { called: options.called, callSid: options.callSid }),
    welcomeGreeting: session.welcome_greeting,
    welcomeGreetingInterruptible: 'any',
    ttsProvider: 'ElevenLabs',
    ...(session.voice_id ? { voice: session.voice_id } : {}),
    language: options.language,
    transcriptionProvider: 'Deepgram',
    // A comma separates hints, so a comma inside one would split it (as on the gather path).
    ...(session.hints && session.hints.length > 0 ? { hints: session.hints.map((hint) => hint.replace(/,/g, ' ')).join(', ') } : {}),
    interruptible: 'any',
    dtmfDetection: true,
  });
  return response.toString();
}
