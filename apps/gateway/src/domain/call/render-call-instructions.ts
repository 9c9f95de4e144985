import type { CallInstructions } from '@neurosphere/contracts';
import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';

export interface RenderCallInstructionsOptions {
  instructions: CallInstructions;
  /** Public origin Twilio reaches the gateway at (no trailing slash). */
  publicBaseUrl: string;
  /** Query string for the gather action (e.g. "attempt=retry" on the gateway's own retry), without "?". */
  turnQuery?: string;
}

/** Where Twilio fetches a synthesized utterance: the gateway relays it from the orchestrator. */
export function audioUrl(publicBaseUrl: string, audioToken: string): string {
  return `${publicBaseUrl}/audio/${encodeURIComponent(audioToken)}`;
}

/** Where Twilio posts how a <Dial> ended (DialCallStatus). */
export const TRANSFER_STATUS_PATH = '/call/transfer-status';
/** Where Twilio fetches what the person answering a transfer hears first. */
export const WHISPER_PATH = '/call/whisper';

type Speech = CallInstructions['speak'][number];
type Next = CallInstructions['next'];

/** The whisper's words travel in the URL Twilio calls back (covered by its signature), so the gateway keeps no state for it. */
function whisperUrl(publicBaseUrl: string, whisper: NonNullable<Extract<Next, { type: 'transfer' }>['whisper']>): string {
  const query = new URLSearchParams({
    text: whisper.text,
    ...(whisper.voice ? { voice: whisper.voice } : {}),
    ...(whisper.language ? { language: whisper.language } : {}),
  });
  return `${publicBaseUrl}${WHISPER_PATH}?${query.toString()}`;
}

/** `<Say>` attributes: the voice and language the orchestrator chose (Twilio's defaults otherwise). */
export function sayAttributes(speech: { voice?: string; language?: string }): VoiceResponse.SayAttributes {
  return {
    ...(speech.voice ? { voice: speech.voice as NonNullable<VoiceResponse.SayAttributes['voice']> } : {}),
    ...(speech.language ? { language: speech.language as NonNullable<VoiceResponse.SayAttributes['language']> } : {}),
  };
}

/**
 * The orchestrator's instructions as TwiML, written only through the twilio library. With a
 * gather next, the speech plays inside `<Gather>` (the caller may interrupt); how it listens
 * (speech model, end-of-speech pause, language, hints, keypad) is the orchestrator's, with the
 * original single timeout as the fallback. `actionOnEmptyResult` makes Twilio post the turn even
 * after silence, so silence is the orchestrator's decision too. A transfer is a `<Dial>` that rings
 * for a while, shows the business's number, whispers to the person who answers and reports back to
 * TRANSFER_STATUS_PATH how it ended; a hang-up is a `<Hangup>`, after the speech.
 */
export function renderCallInstructions(options: RenderCallInstructionsOptions): string {
  const { instructions, publicBaseUrl } = options;
  const response = new twilio.twiml.VoiceResponse();
  const next = instructions.next;

  if (next.type === 'gather') {
    const gather = response.gather({
      input: next.dtmf ? ['speech', 'dtmf'] : ['speech'],
      action: `${publicBaseUrl}/call/turn${options.turnQuery ? `?${options.turnQuery}` : ''}`,
      method: 'POST',
      timeout: next.timeout_seconds ?? next.speech_timeout_seconds,
      speechTimeout: String(next.speech_timeout ?? next.speech_timeout_seconds),
      ...(next.speech_model ? { speechModel: next.speech_model } : {}),
      ...(next.enhanced ? { enhanced: true } : {}),
      ...(next.language ? { language: next.language as NonNullable<VoiceResponse.GatherAttributes['language']> } : {}),
      // Twilio separates hints with commas, so a comma inside one would split it.
      ...(next.hints && next.hints.length > 0 ? { hints: next.hints.map((hint) => hint.replace(/,/g, ' ')).join(', ') } : {}),
      ...(next.num_digits ? { numDigits: next.num_digits } : {}),
      actionOnEmptyResult: true,
    });
    for (const speech of instructions.speak) speak(gather, speech, publicBaseUrl);
    return response.toString();
  }

  for (const speech of instructions.speak) speak(response, speech, publicBaseUrl);
  if (next.type === 'transfer') {
    const dial = response.dial({
      action: `${publicBaseUrl}${TRANSFER_STATUS_PATH}`,
      method: 'POST',
      ...(next.timeout_seconds ? { timeout: next.timeout_seconds } : {}),
      ...(next.caller_id ? { callerId: next.caller_id } : {}),
    });
    dial.number(next.whisper ? { url: whisperUrl(publicBaseUrl, next.whisper), method: 'POST' } : {}, next.number);
  } else {
    response.hangup();
  }
  return response.toString();
}

function speak(target: VoiceResponse | VoiceResponse.Gather, speech: Speech, publicBaseUrl: string): void {
  if (speech.type === 'play') target.play(audioUrl(publicBaseUrl, speech.audio_token));
  else target.say(sayAttributes(speech), speech.text);
}
