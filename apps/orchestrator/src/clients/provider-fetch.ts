import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import nodeFetch from 'node-fetch';
import type { RequestInit as NodeFetchInit } from 'node-fetch';

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
 * node-fetch 2 is the fetch the OpenAI SDK itself used on Node before Node had one. Responses
 * are node-fetch Responses: `text()`, `json()`, `headers.get()`, and a Node stream as `body`,
 * which is async-iterable like a web stream (the TTS client reads the audio that way). Both SDKs
 * pass an AbortSignal, which node-fetch honours.
 */
export function createProviderFetch(): typeof fetch {
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgent = new HttpsAgent({ keepAlive: true });
  const agent = (url: URL) => (url.protocol === 'http:' ? httpAgent : httpsAgent);

  const providerFetch = (input: string | URL | Request, init?: RequestInit) => {
    const body = init?.body;
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if ((typeof input !== 'string' && !(input instanceof URL)) || !plainBody) {
      // The call path sends JSON text. Request objects, FormData and streams (file uploads, which
      // node-fetch 2 would not encode like the platform's fetch) go to the platform's fetch.
      return fetch(input, init);
    }
    // The DOM and node-fetch typings differ only in details neither SDK relies on (body, signal).
    return nodeFetch(input.toString(), { ...(init as NodeFetchInit), agent });
  };
  return providerFetch as unknown as typeof fetch;
}
