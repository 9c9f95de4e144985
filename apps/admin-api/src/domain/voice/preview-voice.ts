import { AppError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { OrchestratorCallError } from '../../clients/orchestrator-client';
import type { OrchestratorClient } from '../../clients/orchestrator-client';

export interface PreviewVoiceOptions {
  /** Undefined when this deployment has no ORCHESTRATOR_URL: previews are unavailable. */
  orchestrator: OrchestratorClient | undefined;
  logger: Logger;
  customerId: number;
  voiceId?: string;
  greeting: 'regular' | 'after_hours';
}

/**
 * The tenant's greeting in an ElevenLabs voice. The orchestrator speaks it: it owns speech
 * synthesis, the tenant's own ElevenLabs key and the per-tenant speech cache (so a preview is
 * synthesized once, and previewing the voice a tenant then keeps also warms its calls' greeting).
 * What the orchestrator refuses (no voice chosen, no after-hours greeting) is passed on as it
 * said it; anything else is a 503.
 */
export async function previewVoice(options: PreviewVoiceOptions): Promise<{ audio: Buffer; text: string | undefined }> {
  const { orchestrator, customerId } = options;
  if (!orchestrator) throw new AppError('UNAVAILABLE', 'Voice previews are not available on this deployment');
  try {
    return await orchestrator.previewVoice({
      customerId,
      greeting: options.greeting,
      ...(options.voiceId ? { voiceId: options.voiceId } : {}),
    });
  } catch (error) {
    const refusal =
      error instanceof OrchestratorCallError && (error.status === 404 || error.status === 422) ? wireError(error.body) : undefined;
    if (refusal)
      throw new AppError(
        error instanceof OrchestratorCallError && error.status === 404 ? 'NOT_FOUND' : 'UNPROCESSABLE',
        refusal.error,
        refusal.details ? { details: refusal.details } : {},
      );
    options.logger.warn({ event: 'degraded', dependency: 'orchestrator', customer_id: customerId, err: error }, 'voice preview failed');
    throw new AppError('UNAVAILABLE', 'Speech synthesis is unavailable right now; try again shortly', { cause: error });
  }
}

function wireError(body: unknown): { error: string; details?: Array<{ path: string; message: string }> } | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body) || typeof body.error !== 'string') return undefined;
  const details = 'details' in body && Array.isArray(body.details) ? (body.details as Array<{ path: string; message: string }>) : undefined;
  return { error: body.error, ...(details ? { details } : {}) };
}
