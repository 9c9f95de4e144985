import { normalizePhone } from '@neurosphere/contracts';
import { AppError, maskPhone, validationError } from '@neurosphere/http';
import { Router } from 'express';
import type { Request, Response } from 'express';
import { forwardInboundSms, renderSmsReply } from '../domain/sms/forward-inbound-sms';
import { forwardSmsStatus } from '../domain/sms/forward-sms-status';
import { parseTwilioForm } from '../domain/webhook/parse-twilio-form';
import { inboundSmsFormSchema, smsStatusFormSchema } from '../domain/webhook/twilio-forms';
import { logOf, requestIdOf } from './route-deps';
import type { RouteDeps } from './route-deps';
import { getTwilioWebhook, twilioWebhook } from './twilio-webhook';
import { TWILIO_WEBHOOK_PATHS } from '@neurosphere/twilio';

/**
 * Twilio's SMS webhooks, handed to the sms service for the number's tenant: an inbound text (the
 * tenant number is `To`) and the delivery status of an outbound one (the tenant number is `From`).
 */
export function smsWebhookRoutes(deps: RouteDeps): Router {
  const router = Router();
  // Nobody is waiting on a line: a failed lookup is a 503, which Twilio's debugger shows.
  const lookupFailure = (_req: Request, _res: Response) => {
    throw new AppError('UNAVAILABLE', 'Number lookup failed; try again later');
  };
  const smsDeps = (req: Request) => ({ sms: deps.sms, metrics: deps.metrics, log: logOf(req, deps) });

  const unknown = (req: Request, route: string, tenantNumber: string) => {
    deps.metrics.unknownNumber.inc({ route });
    logOf(req, deps).warn({ event: 'unknown_number', route, number: maskPhone(tenantNumber) }, 'webhook for a number no tenant owns');
  };

  router.post(
    TWILIO_WEBHOOK_PATHS.incomingSms,
    twilioWebhook(deps, { route: 'sms.incoming', numberField: 'To', onLookupFailure: lookupFailure }),
    async (req, res) => {
      const form = parseTwilioForm(inboundSmsFormSchema, req.body);
      const { owner, tenantNumber } = getTwilioWebhook(res);
      if (!tenantNumber) throw validationError([{ path: 'body.To', message: 'To is not a valid phone number' }]);
      const from = normalizePhone(form.From);
      if (!from) throw validationError([{ path: 'body.From', message: 'From is not a valid phone number' }]);
      if (!owner) {
        unknown(req, 'sms.incoming', tenantNumber);
        res.status(200).type('text/xml').send(renderSmsReply(null));
        return;
      }
      const twiml = await forwardInboundSms({
        deps: smsDeps(req),
        customerId: owner.customerId,
        messageSid: form.MessageSid,
        from,
        to: tenantNumber,
        body: form.Body,
        requestId: requestIdOf(req),
      });
      res.status(200).type('text/xml').send(twiml);
    },
  );

  router.post(
    TWILIO_WEBHOOK_PATHS.smsStatus,
    twilioWebhook(deps, { route: 'sms.status', numberField: 'From', onLookupFailure: lookupFailure }),
    async (req, res) => {
      const form = parseTwilioForm(smsStatusFormSchema, req.body);
      const { owner, tenantNumber } = getTwilioWebhook(res);
      if (!tenantNumber) throw validationError([{ path: 'body.From', message: 'From is not a valid phone number' }]);
      if (!owner) {
        unknown(req, 'sms.status', tenantNumber);
        res.status(204).end();
        return;
      }
      await forwardSmsStatus({
        deps: smsDeps(req),
        customerId: owner.customerId,
        messageSid: form.MessageSid,
        messageStatus: form.MessageStatus,
        errorCode: form.ErrorCode,
        errorMessage: form.ErrorMessage,
        requestId: requestIdOf(req),
      });
      res.status(204).end();
    },
  );

  return router;
}
