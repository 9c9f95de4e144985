import { audioCacheKey, audioTextKey, audioTokenKey, newAudioToken } from './audio-store';

/**
 * The part of a key Redis Cluster hashes to choose its slot: the text between the first "{" and
 * the next "}" when that is not empty, else the whole key (the cluster specification's hash tags).
 */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}

describe('audio keys on Redis Cluster', () => {
  it('keep the words in the slot of their audio, so the two are read and written together', () => {
    for (let index = 0; index < 20; index++) {
      const token = newAudioToken();
      expect(audioTextKey(token)).not.toBe(audioTokenKey(token));
      expect(hashedPart(audioTextKey(token))).toBe(hashedPart(audioTokenKey(token)));
    }
  });

  it("keep a tenant's cache entries in the tenant's slot", () => {
    expect(hashedPart(audioCacheKey({ customerId: 42, voiceId: 'voice', modelId: 'model', text: 'Hello {there}' }))).toBe('42');
  });
});
