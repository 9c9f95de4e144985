import { randomUUID } from 'node:crypto';
import type { ServiceTokenSigner } from '@neurosphere/auth';
import { relayContract, relayEventSchema } from '@neurosphere/contracts';
import type { RelayEvent, RelayInput, RelaySession } from '@neurosphere/contracts';
import { createServiceClient, REQUEST_ID_HEADER, UpstreamError } from '@neurosphere/http';

/**
 * The gateway's door to the orchestrator's relay routes. Start, setup and interrupt go through the
 * contract's ts-rest client like every other service call; the prompt's answer is a stream of
 * newline-delimited events, read here as it arrives. Failures are UpstreamErrors.
 */
export interface RelayClient {
  start(options: { customerId: number; callSid: string; caller: string | null; called: string; requestId?: string }): Promise<RelaySession>;
  setup(options: { customerId: number; callSid: string; sessionId: string }): Promise<void>;
  /**
   * The agent's answer to one caller turn, event by event. `signal` aborts it (the orchestrator then
   * stops the model); the stream then ends without an error.
   */
  prompt(options: { customerId: number; callSid: string; input: RelayInput; signal: AbortSignal }): AsyncIterable<RelayEvent>;
  interrupt(options: {
    customerId: number;
    callSid: string;
    utteranceUntilInterrupt: string;
    durationUntilInterruptMs?: number;
  }): Promise<void>;
}

export interface RelayClientOptions {
  baseUrl: string;
  signer: ServiceTokenSigner;
  /** For start, setup and interrupt; and for the prompt's first event (the model's own limit is shorter). */
  timeoutMs: number;
}

export function createRelayClient(options: RelayClientOptions): RelayClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const relay = createServiceClient(relayContract, {
    service: 'orchestrator',
    baseUrl,
    signer: options.signer,
    timeoutMs: options.timeoutMs,
  });

  return {
    async start({ customerId, callSid, caller, called, requestId }) {
      const response = await relay.call(
        'relay_start',
        { customerId, callSid, requestId },
        (client, init) => client.startRelayCall({ ...init, body: { customer_id: customerId, call_sid: callSid, caller, called } }),
        200,
      );
      return response.body;
    },

    async setup({ customerId, callSid, sessionId }) {
      await relay.call(
        'relay_setup',
        { customerId, callSid },
        (client, init) => client.relaySetup({ ...init, params: { callSid }, body: { customer_id: customerId, session_id: sessionId } }),
        200,
      );
    },

    async interrupt({ customerId, callSid, utteranceUntilInterrupt, durationUntilInterruptMs }) {
      const body = {
        customer_id: customerId,
        utterance_until_interrupt: utteranceUntilInterrupt,
        ...(durationUntilInterruptMs === undefined ? {} : { duration_until_interrupt_ms: durationUntilInterruptMs }),
      };
      await relay.call(
        'relay_interrupt',
        { customerId, callSid },
        (client, init) => client.relayInterrupt({ ...init, params: { callSid }, body }),
        200,
      );
    },

    async *prompt({ customerId, callSid, input, signal }) {
      const requestId = randomUUID();
      const fail = (
        reason: 'timeout' | 'unreachable' | 'error_status' | 'not_found' | 'invalid_response',
        message: string,
        more: { status?: number; cause?: unknown } = {},
      ) => new UpstreamError({ service: 'orchestrator', operation: 'relay_prompt', reason, message, requestId, ...more });
      const token = await options.signer.sign({ audience: 'orchestrator', customerId, callId: callSid });
      // Until the first event the usual time limit applies; after it, only the caller's signal ends the stream.
      const firstEvent = new AbortController();
      const timer = setTimeout(() => firstEvent.abort(), options.timeoutMs);
      const combined = AbortSignal.any([signal, firstEvent.signal]);
      try {
        let response: Response;
        try {
          response = await fetch(`${baseUrl}${relayContract.relayPrompt.path.replace(':callSid', encodeURIComponent(callSid))}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', [REQUEST_ID_HEADER]: requestId },
            body: JSON.stringify({ customer_id: customerId, input }),
            signal: combined,
          });
        } catch (error) {
          if (signal.aborted) return;
          if (firstEvent.signal.aborted)
            throw fail('timeout', `orchestrator relay_prompt timed out after ${options.timeoutMs} ms`, { cause: error });
          throw fail('unreachable', `orchestrator relay_prompt failed: ${(error as Error).message}`, { cause: error });
        }
        if (response.status !== 200 || !response.body) {
          await response.body?.cancel().catch(() => undefined);
          throw fail(response.status === 404 ? 'not_found' : 'error_status', `orchestrator answered HTTP ${response.status}`, {
            status: response.status,
          });
        }
        const decoder = new TextDecoder();
        let buffered = '';
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            clearTimeout(timer);
            buffered += decoder.decode(chunk, { stream: true });
            let newline: number;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline);
              buffered = buffered.slice(newline + 1);
              const event = relayEventSchema.safeParse(JSON.parse(line));
              if (!event.success) throw fail('invalid_response', 'orchestrator relay_prompt sent an event its contract does not allow');
              yield event.data;
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof UpstreamError) throw error;
          if (firstEvent.signal.aborted)
            throw fail('timeout', `orchestrator relay_prompt timed out after ${options.timeoutMs} ms`, { cause: error });
          throw fail(
            error instanceof SyntaxError ? 'invalid_response' : 'unreachable',
            `orchestrator relay_prompt stream broke: ${(error as Error).message}`,
            {
              cause: error,
            },
          );
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
