import twilio from 'twilio';
import { sayAttributes } from './render-call-instructions';

/** What the person answering a transfer hears before the caller is connected (Twilio <Number url>). */
export function renderWhisper(whisper: { text: string; voice?: string; language?: string }): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(sayAttributes(whisper), whisper.text);
  return response.toString();
}
