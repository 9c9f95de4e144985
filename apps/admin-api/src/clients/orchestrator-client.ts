import type { ServiceTokenSigner } from '@neurosphere/auth';
import { decodeSpeechTextHeader, orchestratorContract, SPEECH_TEXT_HEADER } from '@neurosphere/contracts';
import { initClient, isZodType } from '@ts-rest/core';
import type { ApiFetcher } from '@ts-rest/core';

/** The orchestrator answered with an error (its status and wire body), or could not be asked. */
export class OrchestratorCallError extends Error {
  override readonly name = 'OrchestratorCallError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** admin-api's one call to the orchestrator: a voice preview, with a service token for the tenant. */
export interface OrchestratorClient {
  previewVoice(options: {
    customerId: number;
    voiceId?: string;
    greeting: 'regular' | 'after_hours';
  }): Promise<{ audio: Buffer; text: string | undefined }>;
}

/**
 * A fetcher for ts-rest that hands a body that is not JSON (the audio) over as bytes; JSON bodies
 * are parsed and checked against the route's response schema, as ts-rest's own fetcher does.
 */
const fetchKeepingBytes: ApiFetcher = async (args) => {
  const response = await fetch(args.path, {
    method: args.method,
    headers: args.headers,
    ...(typeof args.body === 'string' ? { body: args.body } : {}),
    ...(args.fetchOptions?.signal ? { signal: args.fetchOptions.signal } : {}),
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (!contentType.includes('json'))
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()), headers: response.headers };
  const body: unknown = await response.json();
  const schema: unknown = args.route.responses[response.status];
  return { status: response.status, body: isZodType(schema) ? schema.parse(body) : body, headers: response.headers };
};

export function createOrchestratorClient(options: { baseUrl: string; signer: ServiceTokenSigner; timeoutMs: number }): OrchestratorClient {
  const client = initClient(orchestratorContract, { baseUrl: options.baseUrl, baseHeaders: {}, api: fetchKeepingBytes });
  return {
    async previewVoice({ customerId, voiceId, greeting }) {
      const token = await options.signer.sign({ audience: 'orchestrator', customerId });
      let response;
      try {
        response = await client.voicePreview({
          body: { customer_id: customerId, greeting, ...(voiceId ? { voice_id: voiceId } : {}) },
          extraHeaders: { authorization: `Bearer ${token}` },
          fetchOptions: { signal: AbortSignal.timeout(options.timeoutMs) },
        });
      } catch (error) {
        throw new OrchestratorCallError(`orchestrator voice preview failed: ${(error as Error).message}`, undefined, undefined, {
          cause: error,
        });
      }
      if (response.status !== 200 || !Buffer.isBuffer(response.body)) {
        throw new OrchestratorCallError(`orchestrator voice preview answered ${response.status}`, response.status, response.body);
      }
      return { audio: response.body, text: decodeSpeechTextHeader(response.headers.get(SPEECH_TEXT_HEADER)) };
    },
  };
}
