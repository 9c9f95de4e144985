import { getAuth } from '@neurosphere/auth';
import type { ServiceJwks } from '@neurosphere/auth';
import { RELAY_EVENT_CONTENT_TYPE, relayContract } from '@neurosphere/contracts';
import type { RelayEvent } from '@neurosphere/contracts';
import { validationError, zodIssuesToDetails } from '@neurosphere/http';
import { Router } from 'express';
import type { Request, RequestHandler } from 'express';
import type { ZodTypeAny, z } from 'zod';
import { confirmRelaySetup } from '../domain/relay/confirm-relay-setup';
import { interruptRelayTurn } from '../domain/relay/interrupt-relay-turn';
import type { RelayRuntime } from '../domain/relay/relay-runtime';
import { startRelayCall } from '../domain/relay/start-relay-call';
import { streamRelayTurn } from '../domain/relay/stream-relay-turn';
import { serviceCallersOnly } from './call-routes';

/** The body, parsed by the contract's schema; a 400 naming the field otherwise. */
function bodyOf<S extends ZodTypeAny>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) throw validationError(zodIssuesToDetails(parsed.error.issues, 'body'));
  return parsed.data;
}

/**
 * Marks the request with the contract route it is, as ts-rest does for its own routes, so the
 * per-route caller check (requireRouteCaller) knows which route's callers to allow.
 */
function contractRoute(route: (typeof relayContract)[keyof typeof relayContract]): RequestHandler {
  return (req, _res, next) => {
    (req as { tsRestRoute?: unknown }).tsRestRoute = route;
    next();
  };
}

/**
 * The relay routes of the contract (relayContract), written as plain Express handlers because
 * the prompt's answer is a stream of newline-delimited events, which ts-rest cannot send. The
 * authorization is the call routes': a caller of the route (ORCHESTRATOR_CALLERS), and the
 * tenant and the call of its token.
 */
export function relayRoutes(options: { runtime: RelayRuntime; jwks: ServiceJwks }): Router {
  const { runtime } = options;
  const router = Router();
  const guarded = serviceCallersOnly(options.jwks, relayContract);
  const middleware = (route: (typeof relayContract)[keyof typeof relayContract]) => [contractRoute(route), ...guarded];

  router.post(relayContract.startRelayCall.path, ...middleware(relayContract.startRelayCall), async (req, res) => {
    const body = bodyOf(relayContract.startRelayCall.body, req);
    const { customerId } = getAuth(res);
    const session = await startRelayCall({
      runtime,
      customerId,
      callSid: body.call_sid,
      callerPhone: body.caller,
      calledPhone: body.called,
    });
    res.status(200).json(session);
  });

  router.post(relayContract.relaySetup.path, ...middleware(relayContract.relaySetup), async (req, res) => {
    const body = bodyOf(relayContract.relaySetup.body, req);
    const { customerId } = getAuth(res);
    await confirmRelaySetup({ runtime, customerId, callSid: String(req.params.callSid), sessionId: body.session_id });
    res.status(200).json({ customer_id: customerId, success: true });
  });

  router.post(relayContract.relayPrompt.path, ...middleware(relayContract.relayPrompt), async (req, res) => {
    const body = bodyOf(relayContract.relayPrompt.body, req);
    const { customerId } = getAuth(res);
    // The gateway closes the request when the caller interrupts or hangs up: the model stops too.
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('the gateway closed the relay prompt'));
    });
    const emit = (event: RelayEvent) => {
      if (controller.signal.aborted) return;
      if (!res.headersSent) {
        res.status(200).type(RELAY_EVENT_CONTENT_TYPE);
        res.setHeader('cache-control', 'no-store');
      }
      res.write(`${JSON.stringify(event)}\n`);
    };
    try {
      await streamRelayTurn({
        runtime,
        customerId,
        callSid: String(req.params.callSid),
        input: body.input,
        signal: controller.signal,
        emit,
      });
    } catch (error) {
      // Before the first event the error handler answers with its status; after it, the stream just ends.
      if (!res.headersSent) throw error;
      runtime.logger.error({ customer_id: customerId, callSid: req.params.callSid, err: error }, 'relay turn failed mid-stream');
    }
    if (!res.headersSent) res.status(200).type(RELAY_EVENT_CONTENT_TYPE);
    res.end();
  });

  router.post(relayContract.relayInterrupt.path, ...middleware(relayContract.relayInterrupt), async (req, res) => {
    const body = bodyOf(relayContract.relayInterrupt.body, req);
    const { customerId } = getAuth(res);
    await interruptRelayTurn({
      runtime,
      customerId,
      callSid: String(req.params.callSid),
      utteranceUntilInterrupt: body.utterance_until_interrupt,
    });
    res.status(200).json({ customer_id: customerId, success: true });
  });

  return router;
}
