import type { ServiceName, ServiceTokenSigner } from '@neurosphere/auth';

/** `Authorization` header value for one request to `audience` on behalf of one tenant (and call). */
export async function bearerFor(
  signer: ServiceTokenSigner,
  options: { audience: ServiceName; customerId: number; callSid?: string },
): Promise<string> {
  const token = await signer.sign({ audience: options.audience, customerId: options.customerId, callId: options.callSid });
  return `Bearer ${token}`;
}

/** A service answered with a status the caller cannot use (4xx/5xx, or one its contract does not list). */
export class ServiceResponseError extends Error {
  override readonly name = 'ServiceResponseError';
  constructor(
    readonly service: ServiceName,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${service} answered HTTP ${status}${describeBody(body)}`);
  }

  /** 4xx other than 408/429: repeating the same request will not help. */
  get permanent(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

function describeBody(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') return `: ${body.error}`;
  return '';
}
