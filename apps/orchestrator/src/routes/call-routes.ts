import { getAuth } from '@neurosphere/auth';
import type { ServiceJwks } from '@neurosphere/auth';
import { encodeSpeechTextHeader, orchestratorContract, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import { AppError, authenticateService, mountContract } from '@neurosphere/http';
import type { ContractImplementation } from '@neurosphere/http';
import { initServer } from '@ts-rest/express';
import type { IRouter, RequestHandler } from 'express';
import type { CallRuntime } from '../domain/call-runtime/call-runtime';
import { endCall } from '../domain/calls/end-call';
import { startCall } from '../domain/calls/start-call';
import { takeTurn } from '../domain/calls/take-turn';
import { readAudio } from '../domain/speech/read-audio';
import type { OrchestratorMetrics } from '../observability/metrics';

/** The routes of the orchestrator contract; /healthz and /readyz come from createServiceApp. */
const { health: _health, ...callContract } = orchestratorContract;

export interface CallRoutesOptions {
  runtime: CallRuntime;
  metrics: OrchestratorMetrics;
  jwks: ServiceJwks;
}

/**
 * Authorization, declared once for the call routes: a service token from the gateway whose
 * customer_id matches the body's, and, when the token names a call, that call. The audio route has
 * none on purpose: Twilio fetches it, and its unguessable, expiring token is the credential.
 */
export function gatewayOnly(jwks: ServiceJwks): RequestHandler[] {
  const authenticate = authenticateService({
    audience: 'orchestrator',
    allowedIssuers: ['gateway'],
    jwks,
    requireCustomerIdInRequest: true,
  });
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
  return [authenticate, sameCall];
}

export function mountCallRoutes(router: IRouter, options: CallRoutesOptions): void {
  const { runtime, metrics } = options;
  const s = initServer();
  const middleware = gatewayOnly(options.jwks);
  const timed = async <T>(route: 'start' | 'turn', work: () => Promise<T>): Promise<T> => {
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
        const instructions = await timed('turn', () => takeTurn({ runtime, customerId, callSid: params.callSid, speech: body.speech }));
        return { status: 200, body: instructions };
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
