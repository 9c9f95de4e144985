import { decodeSpeechTextHeader, encodeSpeechTextHeader } from './speech-text-header';

describe('speech text header', () => {
  it.each(['Hello, how can I help?', 'Zoë here — ¿en qué puedo ayudarle? 🙂', '100% sure; a=b&c'])('round-trips %p as ASCII', (text) => {
    const value = encodeSpeechTextHeader(text);
    expect(value).toMatch(/^[\x21-\x7e]*$/);
    expect(decodeSpeechTextHeader(value)).toBe(text);
  });

  it('replaces a lone surrogate instead of throwing', () => {
    expect(decodeSpeechTextHeader(encodeSpeechTextHeader('a\ud800b'))).toBe('a\ufffdb');
  });

  it('cuts very long words at a character boundary, ending in an ellipsis', () => {
    const text = 'é'.repeat(5000);
    const value = encodeSpeechTextHeader(text);
    expect(value.length).toBeLessThanOrEqual(8192);
    const decoded = decodeSpeechTextHeader(value);
    expect(decoded).toMatch(/^é+…$/);
    expect(decoded!.length).toBeGreaterThan(1000);
  });

  it('reads an absent or malformed header as no words', () => {
    expect(decodeSpeechTextHeader(null)).toBeUndefined();
    expect(decodeSpeechTextHeader(undefined)).toBeUndefined();
    expect(decodeSpeechTextHeader('%E2%80')).toBeUndefined();
  });
});
