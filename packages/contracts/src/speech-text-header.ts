/**
 * The words behind synthesized audio travel beside it in a response header of the audio routes
 * (orchestrator `GET /v1/audio/:token`, relayed by the gateway's public `/audio/:token`). Twilio
 * ignores it; the call simulator prints it, so a `<Play>` turn shows what the agent said. Header
 * values must be ASCII, so the text is percent-encoded with encodeURIComponent. The header is
 * absent when the words are unknown (audio stored before they were kept beside it).
 */
export const SPEECH_TEXT_HEADER = 'X-Speech-Text';

/** Node refuses responses whose headers pass 16 KiB in all; the words get at most half of that. */
const MAX_SPEECH_TEXT_HEADER_LENGTH = 8192;
const ELLIPSIS = encodeURIComponent('…');

/** The header value for `text`: percent-encoded, cut at a character boundary and ended with "…" when too long. */
export function encodeSpeechTextHeader(text: string): string {
  // A lone surrogate (possible in a model's JSON output) would make encodeURIComponent throw.
  const wellFormed = text.replace(/\p{Surrogate}/gu, '\uFFFD');
  const encoded = encodeURIComponent(wellFormed);
  if (encoded.length <= MAX_SPEECH_TEXT_HEADER_LENGTH) return encoded;
  let cut = '';
  for (const character of wellFormed) {
    const next = encodeURIComponent(character);
    if (cut.length + next.length + ELLIPSIS.length > MAX_SPEECH_TEXT_HEADER_LENGTH) break;
    cut += next;
  }
  return cut + ELLIPSIS;
}

/** The words in a received header value; undefined when the header is absent or not percent-encoded UTF-8. */
export function decodeSpeechTextHeader(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
