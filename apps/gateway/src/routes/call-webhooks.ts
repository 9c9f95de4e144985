import { maskPhone, validationError } from '@neurosphere/http';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { answerCallTurn } from '../domain/call/answer-call-turn';
import { answerIncomingCall } from '../domain/call/answer-incoming-call';
import type { CallDeps } from '../domain/call/call-deps';
import { RETRY_QUERY } from '../domain/call/call-deps';
import { serviceUnavailableInstructions, unknownNumberInstructions } from '../domain/call/fallback-instructions';
import { renderCallInstructions } from '../domain/call/render-call-instructions';
import { reportCallEnded } from '../domain/call/report-call-ended';
import { parseTwilioForm } from '../domain/webhook/parse-twilio-form';
import { answerRelayCall } from '../relay/answer-relay-call';
import { callStatusFormSchema, callTurnFormSchema, FINAL_CALL_STATUSES, incomingCallFormSchema } from '../domain/webhook/twilio-forms';
import { logOf, requestIdOf } from './route-deps';
import type { RouteDeps } from './route-deps';
import { getTwilioWebhook, twilioWebhook } from './twilio-webhook';

/** Twilio's voice webhooks: a call arrives, the caller spoke, the call ended. */
export function callWebhookRoutes(deps: RouteDeps): Router {
  const router = Router();
  const sendTwiml = (res: Response, twiml: string) => res.status(200).type('text/xml').send(twiml);
  // No tenant is known when the lookup fails, so the apology is the platform's neutral one.
  const voiceLookupFailure = (_req: Request, res: Response) =>
    sendTwiml(res, renderCallInstructions({ instructions: serviceUnavailableInstructions(), publicBaseUrl: deps.publicBaseUrl }));
  const webhook = (route: string) => twilioWebhook(deps, { route, numberField: 'To', onLookupFailure: voiceLookupFailure });
  const callDeps = (req: Request): CallDeps => ({
    orchestrator: deps.orchestrator,
    metrics: deps.metrics,
    publicBaseUrl: deps.publicBaseUrl,
    log: logOf(req, deps),
  });

  /** The verified owner, or the unknown-number answer already sent (returns null then). */
  const ownerOrUnknown = (req: Request, res: Response, route: string) => {
    const { owner, tenantNumber } = getTwilioWebhook(res);
    if (!tenantNumber) throw validationError([{ path: 'body.To', message: 'To is not a valid phone number' }]);
    if (owner) return { owner, tenantNumber };
    deps.metrics.unknownNumber.inc({ route });
    logOf(req, deps).warn({ event: 'unknown_number', route, number: maskPhone(tenantNumber) }, 'webhook for a number no tenant owns');
    return null;
  };

  router.post('/call/incoming', webhook('call.incoming'), async (req, res) => {
    const form = parseTwilioForm(incomingCallFormSchema, req.body);
    const found = ownerOrUnknown(req, res, 'call.incoming');
    if (!found) {
      sendTwiml(res, renderCallInstructions({ instructions: unknownNumberInstructions(), publicBaseUrl: deps.publicBaseUrl }));
      return;
    }
    req.log?.setBindings({ callSid: form.CallSid });
    const call = {
      deps: callDeps(req),
      owner: found.owner,
      callSid: form.CallSid,
      from: form.From,
      called: found.tenantNumber,
      requestId: requestIdOf(req),
    };
    const twiml = found.owner.voiceMode === 'relay' ? await answerRelayCall({ ...call, relay: deps.relay }) : await answerIncomingCall(call);
    sendTwiml(res, twiml);
  });

  router.post('/call/turn', webhook('call.turn'), async (req, res) => {
    const form = parseTwilioForm(callTurnFormSchema, req.body);
    const found = ownerOrUnknown(req, res, 'call.turn');
    if (!found) {
      sendTwiml(res, renderCallInstructions({ instructions: unknownNumberInstructions(), publicBaseUrl: deps.publicBaseUrl }));
      return;
    }
    req.log?.setBindings({ callSid: form.CallSid });
    const speech = form.SpeechResult?.trim() ? form.SpeechResult : null;
    const confidence = form.Confidence === undefined ? undefined : Number(form.Confidence);
    const twiml = await answerCallTurn({
      deps: callDeps(req),
      owner: found.owner,
      callSid: form.CallSid,
      speech,
      // Twilio omits or zeroes Confidence in some cases; only a real probability is passed on.
      ...(confidence !== undefined && Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? { confidence } : {}),
      isRetry: req.originalUrl.endsWith(`?${RETRY_QUERY}`),
      requestId: requestIdOf(req),
    });
    sendTwiml(res, twiml);
  });

  router.post('/call/status', webhook('call.status'), async (req, res) => {
    const form = parseTwilioForm(callStatusFormSchema, req.body);
    const found = ownerOrUnknown(req, res, 'call.status');
    if (found && FINAL_CALL_STATUSES.has(form.CallStatus)) {
      req.log?.setBindings({ callSid: form.CallSid });
      await reportCallEnded({
        deps: callDeps(req),
        owner: found.owner,
        callSid: form.CallSid,
        status: form.CallStatus,
        ...(form.CallDuration === undefined ? {} : { durationSeconds: form.CallDuration }),
        requestId: requestIdOf(req),
      });
    }
    res.status(204).end();
  });

  return router;
}
