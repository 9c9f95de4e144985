import type { CallInstructions } from '@neurosphere/contracts';
import twilio from 'twilio';

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

/**
 * The orchestrator's instructions as TwiML, written only through the twilio library. With a
 * gather next, the speech plays inside `<Gather input="speech">` (the caller may interrupt), and
 * `actionOnEmptyResult` makes Twilio post the turn even after silence, so silence is the
 * orchestrator's decision too. Transfer is a `<Dial>`, hang-up a `<Hangup>`, after the speech.
 */
export function renderCallInstructions(options: RenderCallInstructionsOptions): string {
  const { instructions, publicBaseUrl } = options;
  const response = new twilio.twiml.VoiceResponse();
  const next = instructions.next;

  if (next.type === 'gather') {
    const seconds = next.speech_timeout_seconds;
    const gather = response.gather({
      input: ['speech'],
      action: `${publicBaseUrl}/call/turn${options.turnQuery ? `?${options.turnQuery}` : ''}`,
      method: 'POST',
      timeout: seconds,
      speechTimeout: String(seconds),
      actionOnEmptyResult: true,
    });
    for (const speech of instructions.speak) {
      if (speech.type === 'play') gather.play(audioUrl(publicBaseUrl, speech.audio_token));
      else gather.say(speech.text);
    }
    return response.toString();
  }

  for (const speech of instructions.speak) {
    if (speech.type === 'play') response.play(audioUrl(publicBaseUrl, speech.audio_token));
    else response.say(speech.text);
  }
  if (next.type === 'transfer') response.dial(next.number);
  else response.hangup();
  return response.toString();
}
