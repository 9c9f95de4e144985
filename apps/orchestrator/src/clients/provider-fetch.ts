import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import nodeFetch from 'node-fetch';
import type { RequestInit as NodeFetchInit } from 'node-fetch';

export interface ProviderFetchOptions {
  /**
   * The longest one request may take, body included: after it the request is aborted and its
   * socket released. The caller's own, usually shorter, deadline is withTimeout's job; this one
   * makes sure a hung provider never holds a connection for longer than its timeout setting.
   */
  requestTimeoutMs: number;
}

/**
 * The `fetch` the OpenAI and ElevenLabs SDKs are given (their `fetch` option): node-fetch 2 over
 * keep-alive node:http/https agents, instead of Node 20's global fetch (undici).
 *
 * Why: two provider calls run inside every turn of every call, and undici's fetch keeps each
 * request's objects (AbortSignal chains, web streams, FinalizationRegistry cells) alive past V8's
 * young-generation collections. Measured on the benchmark machine against a local JSON server
 * (6,000 requests, 4 at a time, `--trace-gc-nvp`): global fetch 0.45 ms CPU per request and
 * 2.2 MB promoted per scavenge with 6.9 ms pauses; node-fetch 0.20 ms, 0.12 MB and 1.4 ms. Those
 * pauses stall every call the process is serving, so they set the turn latency's tail.
 *
 * For the same reason the time limit lives here, with a plain listener, rather than in signals
 * the callers pass the SDKs: `AbortSignal.any` (OpenAI) and listeners added with a `signal`
 * option (ElevenLabs) are held through WeakRefs, which keep a finished request's whole object
 * graph alive until a full collection. A signal the SDK passes itself is still honoured.
 *
 * node-fetch 2 is the fetch the OpenAI SDK itself used on Node before Node had one. Responses
 * are node-fetch Responses: `text()`, `json()`, `headers.get()`, and a Node stream as `body`,
 * which is async-iterable like a web stream (the TTS client reads the audio that way).
 */
export function createProviderFetch(options: ProviderFetchOptions): typeof fetch {
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true });
  const agent = (url: URL) => (url.protocol === 'http:' ? httpAgent : httpsAgent);

  const providerFetch = async (input: string | URL | Request, init?: RequestInit) => {
    const body = init?.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if ((typeof input !== 'string' && !(input instanceof URL)) || !plainBody) {
      // The call path sends JSON text. Request objects, FormData and streams (file uploads, which
      // node-fetch 2 would not encode like the platform's fetch) go to the platform's fetch.
      return fetch(input, init);
    }

    const controller = new AbortController();
    const callerSignal = init?.signal ?? undefined;
    const abort = () => controller.abort();
    if (callerSignal?.aborted) abort();
    callerSignal?.addEventListener('abort', abort);
    // Unref'd: a request in flight keeps the process alive through its socket, not through this.
    const timer = setTimeout(abort, options.requestTimeoutMs).unref();
    const finish = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', abort);
    };
    try {
      // The DOM and node-fetch typings differ only in details neither SDK relies on (body, signal).
      const response = await nodeFetch(input.toString(), {
        ...(init as NodeFetchInit),
        signal: controller.signal as NodeFetchInit['signal'],
        agent,
      });
      // The limit covers the body too: a provider can stall halfway through the audio.
      response.body.once('end', finish).once('error', finish).once('close', finish);
      return response;
    } catch (error) {
      finish();
      throw error;
    }
  };
  return providerFetch as unknown as typeof fetch;
}
