import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { SERVICE_TOKEN_ALGORITHM, servicePrivateJwkSchema } from './keys';
import type { ServicePrivateJwk } from './keys';
import type { ServiceName } from './service-names';

export const DEFAULT_TOKEN_TTL_SECONDS = 30;
/** Service tokens are per-request credentials; verifiers reject anything that lives longer. */
export const MAX_TOKEN_TTL_SECONDS = 60;

export interface SignServiceTokenOptions {
  /** The service that will receive the request. */
  audience: ServiceName;
  /** The tenant the request acts for (customers.id); becomes the `customer_id` claim. */
  customerId: number;
  /** The phone call this request belongs to, when there is one. */
  callId?: string;
  /** Defaults to 30 s; more than 60 s is refused. */
  ttlSeconds?: number;
}

export interface ServiceTokenSigner {
  sign(options: SignServiceTokenOptions): Promise<string>;
}

export function createServiceTokenSigner(options: {
  issuer: ServiceName;
  privateJwk: ServicePrivateJwk;
}): ServiceTokenSigner {
  const privateJwk = servicePrivateJwkSchema.parse(options.privateJwk);
  const keyPromise = importJWK(privateJwk, SERVICE_TOKEN_ALGORITHM);

  return {
    async sign({ audience, customerId, callId, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS }) {
      if (!Number.isSafeInteger(customerId) || customerId <= 0) {
        throw new Error(`customerId must be a positive integer (got ${String(customerId)})`);
      }
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        throw new Error(`ttlSeconds must be an integer between 1 and ${MAX_TOKEN_TTL_SECONDS} (got ${ttlSeconds})`);
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ customer_id: customerId, ...(callId === undefined ? {} : { call_id: callId }) })
        .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + ttlSeconds)
        .setJti(randomUUID())
        .sign(await keyPromise);
    },
  };
}
