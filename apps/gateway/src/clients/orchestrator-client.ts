import type { ServiceTokenSigner } from '@neurosphere/auth';
import { decodeSpeechTextHeader, orchestratorContract, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import type { CallInstructions } from '@neurosphere/contracts';
import { createServiceClient, UpstreamError } from '@neurosphere/http';

/**
 * The gateway's one door to the orchestrator (createServiceClient: a service JWT for the call's
 * tenant with call_id = CallSid, the request id, a timeout, a validated answer). Anything else
 * becomes an UpstreamError.
 */
export interface OrchestratorClient {
  /** `caller` null: the caller withheld their number. */
  startCall(options: {
    customerId: number;
    callSid: string;
    caller: string | null;
    called: string;
    requestId?: string;
  }): Promise<CallInstructions>;
  turn(options: {
    customerId: number;
    callSid: string;
    speech: string | null;
    confidence?: number;
    digits?: string;
    requestId?: string;
  }): Promise<CallInstructions>;
  /** How a <Dial> ended (Twilio's DialCallStatus): what the caller hears next. */
  transferResult(options: { customerId: number; callSid: string; status: string; requestId?: string }): Promise<CallInstructions>;
  endCall(options: { customerId: number; callSid: string; status: string; durationSeconds?: number; requestId?: string }): Promise<void>;
  /** The synthesized audio behind a token, or null when the token is unknown or expired. */
  fetchAudio(options: { token: string; requestId?: string }): Promise<RelayedAudio | null>;
}

export interface RelayedAudio {
  audio: Buffer;
  contentType: string;
  /** The words the audio speaks (the orchestrator's X-Speech-Text header); undefined when it sent none. */
  text: string | undefined;
}

export interface OrchestratorClientOptions {
  baseUrl: string;
  signer: ServiceTokenSigner;
  /** For start, turn and end. */
  timeoutMs: number;
  audioTimeoutMs: number;
}

export function createOrchestratorClient(options: OrchestratorClientOptions): OrchestratorClient {
  const orchestrator = createServiceClient(orchestratorContract, {
    service: 'orchestrator',
    baseUrl: options.baseUrl,
    signer: options.signer,
    timeoutMs: options.timeoutMs,
  });

  return {
    async startCall({ customerId, callSid, caller, called, requestId }) {
      const response = await orchestrator.call(
        'start',
        { customerId, callSid, requestId },
        (client, init) => client.startCall({ ...init, body: { customer_id: customerId, call_sid: callSid, caller, called } }),
        200,
      );
      return response.body;
    },

    async turn({ customerId, callSid, speech, confidence, digits, requestId }) {
      const body = {
        customer_id: customerId,
        speech,
        ...(confidence === undefined ? {} : { confidence }),
        ...(digits === undefined ? {} : { digits }),
      };
      const response = await orchestrator.call(
        'turn',
        { customerId, callSid, requestId },
        (client, init) => client.turn({ ...init, params: { callSid }, body }),
        200,
      );
      return response.body;
    },

    async transferResult({ customerId, callSid, status, requestId }) {
      const response = await orchestrator.call(
        'transfer_result',
        { customerId, callSid, requestId },
        (client, init) => client.transferResult({ ...init, params: { callSid }, body: { customer_id: customerId, status } }),
        200,
      );
      return response.body;
    },

    async endCall({ customerId, callSid, status, durationSeconds, requestId }) {
      const body = { customer_id: customerId, status, ...(durationSeconds === undefined ? {} : { duration_seconds: durationSeconds }) };
      await orchestrator.call(
        'end',
        { customerId, callSid, requestId },
        (client, init) => client.endCall({ ...init, params: { callSid }, body }),
        202,
      );
    },

    async fetchAudio({ token, requestId }) {
      let response;
      try {
        // The token is the secret: the route takes no service token and names no tenant.
        response = await orchestrator.call(
          'audio',
          { unauthenticated: true, requestId, timeoutMs: options.audioTimeoutMs },
          (client, init) => client.audio({ ...init, params: { token } }),
          200,
        );
      } catch (error) {
        if (error instanceof UpstreamError && error.reason === 'not_found') return null;
        throw error;
      }
      const body: unknown = response.body;
      if (!isBlob(body)) {
        throw new UpstreamError({
          service: 'orchestrator',
          operation: 'audio',
          reason: 'invalid_response',
          message: 'orchestrator audio answered without audio',
          status: response.status,
          requestId,
        });
      }
      return {
        audio: Buffer.from(await body.arrayBuffer()),
        contentType: response.headers.get('content-type') ?? 'audio/mpeg',
        text: decodeSpeechTextHeader(response.headers.get(SPEECH_TEXT_HEADER)),
      };
    },
  };
}

/** ts-rest hands a body that is neither JSON nor text over as a Blob (duck-typed: fetch's realm differs under jest). */
function isBlob(body: unknown): body is Blob {
  return typeof body === 'object' && body !== null && 'arrayBuffer' in body && typeof body.arrayBuffer === 'function';
}
