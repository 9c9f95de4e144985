import { startFakeElevenLabs, startFakeOpenAI, startFakeTwilio } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import type { ProviderNote } from '../stack/platform-env';
import { simulatedChatAnswer } from './simulated-chat';

export interface SimulatedProviders {
  /** Variables that point the services' real SDKs at the local stand-ins. */
  env: Record<string, string>;
  /** One line per simulated provider, for the start-up log. */
  notes: string[];
  close(): Promise<void>;
}

/**
 * Local OpenAI-, ElevenLabs- and Twilio-compatible servers for the dev stack, started only for the
 * providers that have no key configured. The services keep using the real SDKs; only base URLs
 * (and stand-in credentials) point here. The audio served is a placeholder, not speech, and texts
 * are accepted but go nowhere.
 */
export async function startSimulatedProviders(options: {
  providers: ProviderNote[];
  /** The Twilio auth token the gateway validates signatures with (and the call simulator signs with). */
  twilioAuthToken: string;
}): Promise<SimulatedProviders> {
  const simulated = new Set(options.providers.filter((note) => note.mode === 'simulated').map((note) => note.provider));
  const servers: FakeServer[] = [];
  const env: Record<string, string> = {};
  const notes: string[] = [];
  if (simulated.has('OpenAI')) {
    const openai = await startFakeOpenAI((request) => simulatedChatAnswer(request));
    servers.push(openai);
    Object.assign(env, { OPENAI_BASE_URL: openai.baseURL, OPENAI_API_KEY: 'simulated' });
    notes.push(
      `OpenAI: SIMULATED at ${openai.baseURL} (echoes the caller; "my name is ...", "transfer", "message", "call me back", "text me", "bye" trigger the tools)`,
    );
  }
  if (simulated.has('ElevenLabs')) {
    const elevenLabs = await startFakeElevenLabs();
    servers.push(elevenLabs);
    Object.assign(env, { ELEVENLABS_BASE_URL: elevenLabs.baseUrl, ELEVENLABS_API_KEY: 'simulated' });
    notes.push(`ElevenLabs: SIMULATED at ${elevenLabs.baseUrl} (placeholder audio, not speech)`);
  }
  if (simulated.has('Twilio')) {
    const twilio = await startFakeTwilio();
    servers.push(twilio);
    Object.assign(env, {
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: options.twilioAuthToken,
    });
    notes.push(`Twilio: SIMULATED REST API at ${twilio.url} (texts are accepted, not delivered); use \`pnpm call\` to play a caller`);
  }
  return {
    env,
    notes,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
