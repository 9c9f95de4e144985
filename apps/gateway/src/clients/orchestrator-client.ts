import type { ServiceTokenSigner } from '@neurosphere/auth';
import { decodeSpeechTextHeader, orchestratorContract, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import type { CallInstructions } from '@neurosphere/contracts';
import { initClient } from '@ts-rest/core';
import { createNodeHttpFetcher } from './node-http-fetcher';
import { toUpstreamError, unexpectedStatus } from './upstream-error';

/**
 * The gateway's one door to the orchestrator: every request carries a fresh service JWT for the
 * call's tenant (call_id = CallSid) and the request id, has a timeout, and has its 200 body
 * validated against the contract. Anything else becomes an UpstreamError.
 */
export interface OrchestratorClient {
  startCall(options: { customerId: number; callSid: string; caller: string; called: string; requestId?: string }): Promise<CallInstructions>;
  turn(options: {
    customerId: number;
    callSid: string;
    speech: string | null;
    confidence?: number;
    requestId?: string;
  }): Promise<CallInstructions>;
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
  const client = initClient(orchestratorContract, {
    baseUrl: options.baseUrl,
    baseHeaders: {},
    validateResponse: true,
    api: createNodeHttpFetcher(),
  });

  const headers = async (customerId: number, callSid: string, requestId: string | undefined) => ({
    authorization: `Bearer ${await options.signer.sign({ audience: 'orchestrator', customerId, callId: callSid })}`,
    ...(requestId ? { 'x-request-id': requestId } : {}),
  });
  const fetchOptions = (timeoutMs: number) => ({ signal: AbortSignal.timeout(timeoutMs) });

  async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toUpstreamError('orchestrator', operation, error);
    }
  }

  return {
    startCall: ({ customerId, callSid, caller, called, requestId }) =>
      guarded('start', async () => {
        const response = await client.startCall({
          body: { customer_id: customerId, call_sid: callSid, caller, called },
          extraHeaders: await headers(customerId, callSid, requestId),
          fetchOptions: fetchOptions(options.timeoutMs),
        });
        if (response.status !== 200) throw unexpectedStatus('orchestrator', 'start', response.status, response.body);
        return response.body;
      }),

    turn: ({ customerId, callSid, speech, confidence, requestId }) =>
      guarded('turn', async () => {
        const response = await client.turn({
          params: { callSid },
          body: { customer_id: customerId, speech, ...(confidence === undefined ? {} : { confidence }) },
          extraHeaders: await headers(customerId, callSid, requestId),
          fetchOptions: fetchOptions(options.timeoutMs),
        });
        if (response.status !== 200) throw unexpectedStatus('orchestrator', 'turn', response.status, response.body);
        return response.body;
      }),

    endCall: ({ customerId, callSid, status, durationSeconds, requestId }) =>
      guarded('end', async () => {
        const response = await client.endCall({
          params: { callSid },
          body: { customer_id: customerId, status, ...(durationSeconds === undefined ? {} : { duration_seconds: durationSeconds }) },
          extraHeaders: await headers(customerId, callSid, requestId),
          fetchOptions: fetchOptions(options.timeoutMs),
        });
        if (response.status !== 202) throw unexpectedStatus('orchestrator', 'end', response.status, response.body);
      }),

    fetchAudio: ({ token, requestId }) =>
      guarded('audio', async () => {
        const response = await client.audio({
          params: { token },
          extraHeaders: requestId ? { 'x-request-id': requestId } : {},
          fetchOptions: fetchOptions(options.audioTimeoutMs),
        });
        if (response.status === 404) return null;
        if (response.status !== 200) throw unexpectedStatus('orchestrator', 'audio', response.status, response.body);
        // The fetcher hands non-JSON bodies over as a Buffer.
        const body: unknown = response.body;
        if (!Buffer.isBuffer(body)) throw unexpectedStatus('orchestrator', 'audio', response.status, undefined);
        return {
          audio: body,
          contentType: response.headers.get('content-type') ?? 'audio/mpeg',
          text: decodeSpeechTextHeader(response.headers.get(SPEECH_TEXT_HEADER)),
        };
      }),
  };
}
