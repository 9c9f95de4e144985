import { getAuth } from '@neurosphere/auth';
import type { ServiceJwks } from '@neurosphere/auth';
import { encodeSpeechTextHeader, orchestratorContract, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import { AppError, authenticateService, callersOfAnyRoute, mountContract, requireRouteCaller } from '@neurosphere/http';
import type { ContractImplementation } from '@neurosphere/http';
import { initServer } from '@ts-rest/express';
import type { IRouter, RequestHandler } from 'express';
import type { CallRuntime } from '../domain/call-runtime/call-runtime';
import { endCall } from '../domain/calls/end-call';
import { resumeAfterTransfer } from '../domain/calls/resume-after-transfer';
import { startCall } from '../domain/calls/start-call';
import { takeTurn } from '../domain/calls/take-turn';
import { previewGreeting } from '../domain/speech/preview-greeting';
import { readAudio } from '../domain/speech/read-audio';
import type { OrchestratorMetrics } from '../observability/metrics';
import { ORCHESTRATOR_CALLERS } from './allowed-callers';

/** The routes of the orchestrator contract; /healthz and /readyz come from createServiceApp. */
const { health: _health, ...callContract } = orchestratorContract;

export interface CallRoutesOptions {
  runtime: CallRuntime;
  metrics: OrchestratorMetrics;
  jwks: ServiceJwks;
}

/** A token that names a call is good for that call only (the path's call sid, or the body's). */
const sameCall: RequestHandler = (req, res, next) => {
  const { callId } = getAuth(res);
  const body: unknown = req.body;
  const bodyCallSid = typeof body === 'object' && body !== null && 'call_sid' in body ? body.call_sid : undefined;
  const requested = req.params.callSid ?? bodyCallSid;
  if (callId !== undefined && requested !== undefined && requested !== callId) {
    next(new AppError('FORBIDDEN', 'call does not match the call of the service token'));
    return;
  }
  next();
};

/**
 * Authorization, declared once for the call routes: a service token from a caller of the route
 * (ORCHESTRATOR_CALLERS) whose customer_id matches the body's, and, when the token names a call,
 * that call. The audio route has none on purpose: Twilio fetches it, and its unguessable, expiring
 * token is the credential. The voice preview is admin-api's alone, on behalf of a tenant admin.
 * `contract` is the router whose routes the middleware guards (the call routes, or the relay routes).
 */
export function serviceCallersOnly(jwks: ServiceJwks, contract: Parameters<typeof requireRouteCaller>[0]): RequestHandler[] {
  const authenticate = authenticateService({
    audience: 'orchestrator',
    allowedIssuers: callersOfAnyRoute(ORCHESTRATOR_CALLERS),
    jwks,
    requireCustomerIdInRequest: true,
  });
  return [authenticate, requireRouteCaller(contract, ORCHESTRATOR_CALLERS), sameCall];
}

export function mountCallRoutes(router: IRouter, options: CallRoutesOptions): void {
  const { runtime, metrics } = options;
  const s = initServer();
  const middleware = serviceCallersOnly(options.jwks, callContract);
  const timed = async <T>(route: 'start' | 'turn' | 'transfer_result', work: () => Promise<T>): Promise<T> => {
    const stop = metrics.answerDuration.startTimer({ route });
    try {
      return await work();
    } finally {
      stop();
    }
  };

  const implementation: ContractImplementation<typeof callContract> = s.router(callContract, {
    startCall: {
      middleware,
      handler: async ({ body, res }) => {
        const { customerId } = getAuth(res);
        const instructions = await timed('start', () =>
          startCall({ runtime, customerId, callSid: body.call_sid, callerPhone: body.caller, calledPhone: body.called }),
        );
        return { status: 200, body: instructions };
      },
    },
    turn: {
      middleware,
      handler: async ({ params, body, res }) => {
        const { customerId } = getAuth(res);
        const instructions = await timed('turn', () =>
          takeTurn({ runtime, customerId, callSid: params.callSid, speech: body.speech, confidence: body.confidence, digits: body.digits }),
        );
        return { status: 200, body: instructions };
      },
    },
    transferResult: {
      middleware,
      handler: async ({ params, body, res }) => {
        const { customerId } = getAuth(res);
        const instructions = await timed('transfer_result', () =>
          resumeAfterTransfer({ runtime, customerId, callSid: params.callSid, status: body.status }),
        );
        return { status: 200, body: instructions };
      },
    },
    voicePreview: {
      middleware,
      handler: async ({ body, res }) => {
        const { customerId } = getAuth(res);
        const { audio, text } = await previewGreeting({ runtime, customerId, voiceId: body.voice_id, greeting: body.greeting });
        res.setHeader(SPEECH_TEXT_HEADER, encodeSpeechTextHeader(text));
        return { status: 200, body: audio };
      },
    },
    endCall: {
      middleware,
      handler: async ({ params, body, res }) => {
        const { customerId } = getAuth(res);
        await endCall({ runtime, customerId, callSid: params.callSid, status: body.status, durationSeconds: body.duration_seconds });
        return { status: 202, body: { success: true as const } };
      },
    },
    audio: async ({ params, res }) => {
      const { audio, text } = await readAudio({ runtime, token: params.token });
      // Twilio may fetch the same <Play> again within the call; nobody else should keep it.
      res.setHeader('cache-control', 'private, max-age=300');
      if (text !== undefined) res.setHeader(SPEECH_TEXT_HEADER, encodeSpeechTextHeader(text));
      return { status: 200, body: audio };
    },
  });
  mountContract(callContract, implementation, router);
}
