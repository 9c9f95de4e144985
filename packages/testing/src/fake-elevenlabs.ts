import { createHash } from 'node:crypto';
import { startFakeServer } from './fake-server';
import type { FakeReply, FakeServer } from './fake-server';

export interface TtsRequest {
  voiceId: string;
  text: string;
  modelId?: string;
}

export interface FakeElevenLabs extends FakeServer {
  /** Pass this as the ElevenLabs SDK's `baseUrl`. */
  baseUrl: string;
  ttsRequests(): TtsRequest[];
  /** Replace the reply (for failure tests); return undefined to answer normally. */
  failWith(reply: ((request: TtsRequest) => FakeReply | undefined) | undefined): void;
  /** GET /v1/models answers 401 for this key from now on (a key ElevenLabs refuses). */
  rejectKey(apiKey: string): void;
}

/**
 * Deterministic stand-in audio: an MP3 frame header followed by a digest of voice and text, so a
 * test can tell which voice said what by the bytes it was served.
 */
export function fakeAudioFor(voiceId: string, text: string): Buffer {
  const digest = createHash('sha256').update(`${voiceId}\n${text}`).digest();
  return Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x64]), digest]);
}

/** An ElevenLabs-compatible text-to-speech server on 127.0.0.1 for the real SDK. */
export async function startFakeElevenLabs(): Promise<FakeElevenLabs> {
  let failure: ((request: TtsRequest) => FakeReply | undefined) | undefined;
  const tts = (recorded: { body: unknown }, params: Record<string, string>): FakeReply => {
    const body = (recorded.body ?? {}) as { text?: string; model_id?: string };
    const request: TtsRequest = { voiceId: params.voiceId ?? '', text: body.text ?? '', modelId: body.model_id };
    const failed = failure?.(request);
    if (failed) return failed;
    if (!request.text) return { status: 422, body: { detail: { message: 'text is required' } } };
    return { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: fakeAudioFor(request.voiceId, request.text) };
  };
  const rejectedKeys = new Set<string>();
  const server = await startFakeServer({
    // What checking a key costs: one authenticated read.
    'GET /v1/models': (recorded) => {
      const key = recorded.headers['xi-api-key'];
      return typeof key === 'string' && rejectedKeys.has(key)
        ? { status: 401, body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } } }
        : { status: 200, body: [{ model_id: 'eleven_flash_v2_5', name: 'Flash v2.5' }] };
    },
    'POST /v1/text-to-speech/:voiceId': tts,
    'POST /v1/text-to-speech/:voiceId/stream': tts,
  });
  return {
    ...server,
    baseUrl: server.url,
    ttsRequests: () =>
      server.requests
        .filter((r) => r.path.startsWith('/v1/text-to-speech/'))
        .map((r) => {
          const body = (r.body ?? {}) as { text?: string; model_id?: string };
          return { voiceId: decodeURIComponent(r.path.split('/')[3] ?? ''), text: body.text ?? '', modelId: body.model_id };
        }),
    failWith(next) {
      failure = next;
    },
    rejectKey(apiKey) {
      rejectedKeys.add(apiKey);
    },
  };
}
