import { normalizePhone } from '@neurosphere/contracts';
import { AppError, maskPhone } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { Request, RequestHandler, Response } from 'express';
import twilio from 'twilio';
import type { NumberDirectory } from '../domain/tenant/number-directory';
import { NumberLookupTimeoutError } from '../domain/tenant/number-directory';
import type { NumberOwner } from '../domain/tenant/resolve-number-owner';
import type { GatewayMetrics } from '../metrics';

/** What a verified Twilio webhook carries past the middleware. */
export interface TwilioWebhookContext {
  /** The tenant number the webhook is about (E.164), or null when the form had none that parses. */
  tenantNumber: string | null;
  /** Its owner, or null for a number no tenant owns (the signature was then checked with the platform token). */
  owner: NumberOwner | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by twilioWebhook() once the signature is verified; read it through getTwilioWebhook(res). */
      twilioWebhook?: TwilioWebhookContext;
    }
  }
}

export interface TwilioWebhookOptions {
  /** Metrics/log label, e.g. "call.incoming". */
  route: string;
  /** The form field holding the tenant's number: `To` for calls and inbound texts, `From` for outbound-text statuses. */
  numberField: 'To' | 'From';
  /** What Twilio gets when the number lookup itself fails (voice: an apology in TwiML; SMS: 503). */
  onLookupFailure: (req: Request, res: Response) => void;
}

export interface TwilioWebhookDeps {
  publicBaseUrl: string;
  platformAuthToken: string;
  numbers: NumberDirectory;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * Authorization of every Twilio webhook, declared with the route. Finds the owner of the tenant
 * number (the unverified number only chooses which token verifies the request), then checks
 * X-Twilio-Signature with `twilio.validateRequest` against PUBLIC_BASE_URL + the path and query
 * Twilio called, with that account's token: the platform's, or the tenant's own (BYOK). Missing or
 * wrong signature: 403 and the handler never runs. Numbers nobody owns are checked with the
 * platform token.
 */
export function twilioWebhook(deps: TwilioWebhookDeps, options: TwilioWebhookOptions): RequestHandler {
  const refuse = (req: Request, reason: 'missing' | 'mismatch' | 'no_token', message: string, extra: object = {}) => {
    deps.metrics.signatureInvalid.inc({ route: options.route, reason });
    (req.log ?? deps.logger).warn({ event: 'twilio_signature_invalid', route: options.route, reason, ...extra }, message);
    return new AppError('FORBIDDEN', message);
  };

  return async (req, res, next) => {
    const signature = req.get('x-twilio-signature');
    if (!signature) throw refuse(req, 'missing', 'Missing X-Twilio-Signature header');

    const params: Record<string, unknown> = isRecord(req.body) ? req.body : {};
    const rawNumber = params[options.numberField];
    const tenantNumber = typeof rawNumber === 'string' ? normalizePhone(rawNumber) : null;

    let owner: NumberOwner | null = null;
    if (tenantNumber) {
      try {
        owner = await deps.numbers.find(tenantNumber);
      } catch (error) {
        const reason = error instanceof NumberLookupTimeoutError ? 'timeout' : 'error';
        deps.metrics.tenantLookupFailed.inc({ route: options.route, reason });
        (req.log ?? deps.logger).error(
          { event: 'degraded', dependency: 'postgres', reason, route: options.route, number: maskPhone(tenantNumber), err: error },
          'number lookup failed',
        );
        options.onLookupFailure(req, res);
        return;
      }
    }

    const authToken = owner ? owner.twilioAuthToken : deps.platformAuthToken;
    if (!authToken) {
      throw refuse(req, 'no_token', 'Invalid X-Twilio-Signature', { customerId: owner?.customerId, problem: owner?.tokenProblem });
    }
    const url = deps.publicBaseUrl + req.originalUrl;
    if (!twilio.validateRequest(authToken, signature, url, params)) {
      throw refuse(req, 'mismatch', 'Invalid X-Twilio-Signature', {
        customerId: owner?.customerId,
        account: owner?.twilioAccount ?? 'platform',
      });
    }
    if (owner) req.log?.setBindings({ customer_id: owner.customerId });
    res.locals.twilioWebhook = { tenantNumber, owner };
    next();
  };
}

/** The verified webhook. Throws when twilioWebhook() did not run, so a mis-wired route fails closed. */
export function getTwilioWebhook(res: Response): TwilioWebhookContext {
  const context = res.locals.twilioWebhook;
  if (!context) throw new Error('getTwilioWebhook: twilioWebhook() did not run for this route');
  return context;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
