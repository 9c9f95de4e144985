import { encodeSpeechTextHeader, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import { AppError, UpstreamError } from '@neurosphere/http';
import { Router } from 'express';
import { logOf, requestIdOf } from './route-deps';
import type { RouteDeps } from './route-deps';

// Orchestrator tokens are random URL-safe strings; anything else cannot be one.
const AUDIO_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

/**
 * GET /audio/:token: Twilio's `<Play>` fetches synthesized speech here and the gateway relays it
 * from the orchestrator, with the words it speaks in X-Speech-Text when the orchestrator sent them
 * (Twilio ignores the header; the call simulator prints it). The one unauthenticated route: the
 * unguessable, expiring token is the secret, and the answer says nothing about the tenant beyond
 * what the audio itself says.
 */
export function audioRoutes(deps: RouteDeps): Router {
  const router = Router();
  router.get('/audio/:token', async (req, res) => {
    const token = req.params.token;
    if (!AUDIO_TOKEN.test(token)) throw new AppError('NOT_FOUND', 'Audio not found');
    let found;
    try {
      found = await deps.orchestrator.fetchAudio({ token, requestId: requestIdOf(req) });
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : 'internal';
      deps.metrics.orchestratorUnavailable.inc({ operation: 'audio', reason });
      logOf(req, deps).error(
        { event: 'degraded', dependency: 'orchestrator', operation: 'audio', reason, err: error },
        'audio relay failed',
      );
      throw new AppError('UNAVAILABLE', 'Audio is unavailable right now', { cause: error });
    }
    if (!found) throw new AppError('NOT_FOUND', 'Audio not found');
    res.status(200).type(found.contentType).set('cache-control', 'private, max-age=300');
    if (found.text !== undefined) res.set(SPEECH_TEXT_HEADER, encodeSpeechTextHeader(found.text));
    res.send(found.audio);
  });
  return router;
}
