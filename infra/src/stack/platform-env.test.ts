import { databaseUrlsFromEnvironment, describeProviders } from './platform-env';

describe('databaseUrlsFromEnvironment', () => {
  it('takes the three role URLs as given', () => {
    expect(
      databaseUrlsFromEnvironment({
        DATABASE_URL: 'postgres://neurosphere_app:a@db/n',
        DATABASE_PLATFORM_URL: 'postgres://neurosphere_platform:p@db/n',
        DATABASE_OWNER_URL: 'postgres://owner:o@db/n',
      }),
    ).toEqual({
      app: 'postgres://neurosphere_app:a@db/n',
      platform: 'postgres://neurosphere_platform:p@db/n',
      owner: 'postgres://owner:o@db/n',
    });
  });

  it('names the missing companions of DATABASE_URL', () => {
    expect(() => databaseUrlsFromEnvironment({ DATABASE_URL: 'postgres://neurosphere_app:a@db/n' })).toThrow(
      'then DATABASE_PLATFORM_URL and DATABASE_OWNER_URL must be set too',
    );
  });
});

describe('describeProviders', () => {
  it('says simulated for every provider without a key and real where a key is set', () => {
    const notes = describeProviders({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1' });
    expect(notes.map((note) => [note.provider, note.mode])).toEqual([
      ['OpenAI', 'configured'],
      ['ElevenLabs', 'simulated'],
      ['Twilio', 'simulated'],
    ]);
    expect(notes[0]?.message).toBe('OpenAI: OPENAI_API_KEY is set, using the real API at http://127.0.0.1:9999/v1');
    expect(notes[1]?.message).toBe('ElevenLabs: no ELEVENLABS_API_KEY configured, using the local simulated provider');
  });
});
