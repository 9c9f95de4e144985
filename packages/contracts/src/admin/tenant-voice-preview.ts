import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { SPEECH_TEXT_HEADER } from '../speech-text-header';
import { errorResponses, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const voicePreviewAdminRequestSchema = z
  .object({
    /** The ElevenLabs voice to hear; absent: the tenant's current voice_id. */
    voice_id: z.string({ invalid_type_error: 'voice_id must be a string' }).trim().min(1, 'voice_id must not be empty').max(100).optional(),
    /** Which greeting to speak: the regular one or the after-hours one. */
    greeting: z
      .enum(['regular', 'after_hours'], { errorMap: () => ({ message: 'greeting must be regular or after_hours' }) })
      .default('regular'),
  })
  .strict();

/** Part of `adminApiContract.tenant`: hear the greeting in a voice before choosing it. */
export const tenantVoicePreviewContract = c.router({
  previewVoice: {
    method: 'POST',
    path: tenantPaths('/voice-preview'),
    pathParams: tenantPathSchema,
    body: voicePreviewAdminRequestSchema,
    responses: {
      200: c.otherResponse({ contentType: 'audio/mpeg', body: z.any() }),
      ...errorResponses,
      503: errorResponseSchema,
    },
    metadata: tenantRoute('admin'),
    summary: 'The greeting spoken with an ElevenLabs voice (audio/mpeg; synthesized once, then cached)',
    description: `The words spoken, percent-encoded, are in the ${SPEECH_TEXT_HEADER} response header. 503 when speech synthesis is unavailable.`,
  },
});
