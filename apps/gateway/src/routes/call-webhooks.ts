import { maskPhone, validationError } from '@neurosphere/http';
import { Router } from 'express';
import twilio from 'twilio';
import type { Request, Response } from 'express';
import { answerCallTurn } from '../domain/call/answer-call-turn';
import { answerIncomingCall } from '../domain/call/answer-incoming-call';
import { answerTransferStatus } from '../domain/call/answer-transfer-status';
import type { CallDeps } from '../domain/call/call-deps';
import { RETRY_QUERY } from '../domain/call/call-deps';
import { serviceUnavailableInstructions, unknownNumberInstructions } from '../domain/call/fallback-instructions';
import { renderCallInstructions, TRANSFER_STATUS_PATH, WHISPER_PATH } from '../domain/call/render-call-instructions';
import { renderWhisper } from '../domain/call/render-whisper';
import { reportCallEnded } from '../domain/call/report-call-ended';
import { parseTwilioForm } from '../domain/webhook/parse-twilio-form';
import { answerRelayCall } from '../relay/answer-relay-call';
import {
  callStatusFormSchema,
  callTurnFormSchema,
  dialActionFormSchema,
  FINAL_CALL_STATUSES,
  incomingCallFormSchema,
  whisperQuerySchema,
} from '../domain/webhook/twilio-forms';
import { logOf, requestIdOf } from './route-deps';
import type { RouteDeps } from './route-deps';
import { getTwilioWebhook, twilioWebhook } from './twilio-webhook';
import { TWILIO_WEBHOOK_PATHS } from '@neurosphere/twilio';

/** Twilio's voice webhooks: a call arrives, the caller spoke, a transfer ended (and its whisper), the call ended. */
export function callWebhookRoutes(deps: RouteDeps): Router {
  const router = Router();
  const sendTwiml = (res: Response, twiml: string) => res.status(200).type('text/xml').send(twiml);
  // No tenant is known when the lookup fails, so the apology is the platform's neutral one.
  const voiceLookupFailure = (_req: Request, res: Response) =>
    sendTwiml(res, renderCallInstructions({ instructions: serviceUnavailableInstructions(), publicBaseUrl: deps.publicBaseUrl }));
  const webhook = (route: string, numberField: 'To' | 'From' = 'To') =>
    twilioWebhook(deps, { route, numberField, onLookupFailure: voiceLookupFailure });
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

  router.post(TWILIO_WEBHOOK_PATHS.incomingCall, webhook('call.incoming'), async (req, res) => {
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
    const twiml =
      found.owner.voiceMode === 'relay' ? await answerRelayCall({ ...call, relay: deps.relay }) : await answerIncomingCall(call);
    sendTwiml(res, twiml);
  });

  router.post(TWILIO_WEBHOOK_PATHS.callTurn, webhook('call.turn'), async (req, res) => {
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
      ...(form.Digits?.trim() ? { digits: form.Digits.trim() } : {}),
      isRetry: req.originalUrl.endsWith(`?${RETRY_QUERY}`),
      requestId: requestIdOf(req),
    });
    sendTwiml(res, twiml);
  });

  router.post(TRANSFER_STATUS_PATH, webhook('call.transfer_status'), async (req, res) => {
    const form = parseTwilioForm(dialActionFormSchema, req.body);
    const found = ownerOrUnknown(req, res, 'call.transfer_status');
    if (!found) {
      sendTwiml(res, renderCallInstructions({ instructions: unknownNumberInstructions(), publicBaseUrl: deps.publicBaseUrl }));
      return;
    }
    req.log?.setBindings({ callSid: form.CallSid });
    const twiml = await answerTransferStatus({
      deps: callDeps(req),
      owner: found.owner,
      callSid: form.CallSid,
      status: form.DialCallStatus,
      requestId: requestIdOf(req),
    });
    sendTwiml(res, twiml);
  });

  // The person a transfer rings hears who is calling and why. Their leg shows the business's number
  // as From (the <Dial callerId>), which is how its tenant, and the token that signs it, are found.
  router.post(WHISPER_PATH, webhook('call.whisper', 'From'), (req, res) => {
    const found = ownerOrUnknown(req, res, 'call.whisper');
    const whisper = whisperQuerySchema.safeParse(req.query);
    if (found && whisper.success) {
      sendTwiml(res, renderWhisper(whisper.data));
      return;
    }
    if (found) {
      // The gateway wrote this URL itself and Twilio signed it, so its words missing is our bug.
      deps.metrics.fallbackTwiml.inc({ kind: 'no_whisper' });
      logOf(req, deps).warn(
        { event: 'degraded', route: 'call.whisper', fallback: 'no_whisper' },
        'whisper URL without usable words; connected without a whisper',
      );
    }
    // Nothing to say: an empty response connects the call at once.
    sendTwiml(res, new twilio.twiml.VoiceResponse().toString());
  });

  router.post(TWILIO_WEBHOOK_PATHS.callStatus, webhook('call.status'), async (req, res) => {
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
