import { relayHandoffSchema } from '@neurosphere/contracts';
import type { RelayHandoff } from '@neurosphere/contracts';
import { Router } from 'express';
import type { Request, Response } from 'express';
import twilio from 'twilio';
import { z } from 'zod';
import { fallbackInstructions, serviceUnavailableInstructions } from '../domain/call/fallback-instructions';
import { renderCallInstructions } from '../domain/call/render-call-instructions';
import { parseTwilioForm } from '../domain/webhook/parse-twilio-form';
import { RELAY_ENDED_PATH } from '../relay/render-relay-twiml';
import { logOf } from './route-deps';
import type { RouteDeps } from './route-deps';
import { getTwilioWebhook, twilioWebhook } from './twilio-webhook';

/** The `<Connect action>` callback of a ConversationRelay session (Twilio's fields; more are ignored). */
export const relayEndedFormSchema = z.object({
  CallSid: z.string().min(1, 'CallSid is required'),
  To: z.string().min(1, 'To is required'),
  /** completed (the socket closed), ended (the app sent `end`), failed. */
  SessionStatus: z.string().optional(),
  /** The `handoffData` of the app's `end` message, as sent. */
  HandoffData: z.string().optional(),
});

function handoffOf(raw: string | undefined): RelayHandoff | null {
  if (!raw) return null;
  try {
    const parsed = relayHandoffSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Twilio's callback when a relay session ends: the handoff the agent sent decides the rest of the
 * call. A transfer is the gather path's `<Dial>` (the number the orchestrator chose from the
 * tenant's settings, its whisper, and the transfer status callback, so an unanswered transfer comes
 * back to the agent); the handoff arrives inside this callback, which Twilio signs with the
 * tenant's token, so nobody else can choose the number. A fallback (or a session that failed) gets
 * the gather path's degraded answer; anything else hangs up.
 */
export function relayWebhookRoutes(deps: RouteDeps): Router {
  const router = Router();
  const sendTwiml = (res: Response, twiml: string) => res.status(200).type('text/xml').send(twiml);
  const onLookupFailure = (_req: Request, res: Response) =>
    sendTwiml(res, renderCallInstructions({ instructions: serviceUnavailableInstructions(), publicBaseUrl: deps.publicBaseUrl }));

  router.post(RELAY_ENDED_PATH, twilioWebhook(deps, { route: 'call.relay_ended', numberField: 'To', onLookupFailure }), (req, res) => {
    const form = parseTwilioForm(relayEndedFormSchema, req.body);
    const { owner } = getTwilioWebhook(res);
    const handoff = handoffOf(form.HandoffData);
    if (owner && handoff?.reason === 'transfer') {
      return sendTwiml(
        res,
        renderCallInstructions({ instructions: { speak: [], next: handoff.transfer }, publicBaseUrl: deps.publicBaseUrl }),
      );
    }
    if (owner && (handoff?.reason === 'fallback' || form.SessionStatus === 'failed')) {
      const { kind, instructions } = fallbackInstructions({
        allowRetry: false,
        transferNumber: owner.transferNumber,
        speechTimeoutSeconds: owner.speechTimeoutSeconds,
        speech: owner.speech,
      });
      deps.metrics.fallbackTwiml.inc({ kind });
      logOf(req, deps).warn(
        {
          event: 'degraded',
          dependency: 'relay',
          fallback: kind,
          customerId: owner.customerId,
          callSid: form.CallSid,
          sessionStatus: form.SessionStatus,
        },
        'relay session ended in the fallback',
      );
      return sendTwiml(res, renderCallInstructions({ instructions, publicBaseUrl: deps.publicBaseUrl }));
    }
    const response = new twilio.twiml.VoiceResponse();
    response.hangup();
    sendTwiml(res, response.toString());
  });

  return router;
}
