import { encodeSpeechTextHeader, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import type { tenantVoicePreviewContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { previewVoice } from '../domain/voice/preview-voice';
import { tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant route: the greeting in a voice, as audio. */
export function tenantVoicePreviewRoutes(deps: RouteDeps): ContractImplementation<typeof tenantVoicePreviewContract> {
  return {
    previewVoice: async ({ body, res }) => {
      const { audio, text } = await previewVoice({
        orchestrator: deps.orchestrator,
        logger: deps.logger,
        customerId: tenantOf(res).customerId,
        greeting: body.greeting,
        ...(body.voice_id ? { voiceId: body.voice_id } : {}),
      });
      if (text !== undefined) res.setHeader(SPEECH_TEXT_HEADER, encodeSpeechTextHeader(text));
      res.setHeader('cache-control', 'private, max-age=300');
      return { status: 200, body: audio };
    },
  };
}
