import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT } from 'jose';
import { SERVICE_TOKEN_ALGORITHM, servicePrivateJwkSchema, serviceOfKeyId } from './keys';
import type { ServicePrivateJwk } from './keys';
import { ExpiringCache } from './expiring-cache';
import type { ServiceName } from './service-names';

export const DEFAULT_TOKEN_TTL_SECONDS = 30;
/** Service tokens are short-lived credentials; verifiers reject anything that lives longer. */
export const MAX_TOKEN_TTL_SECONDS = 60;
/** How many distinct (audience, tenant, call, lifetime) tokens a signer keeps for reuse. */
const REUSED_TOKENS_MAX = 10_000;

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

export interface ServiceTokenSignerOptions {
  issuer: ServiceName;
  privateJwk: ServicePrivateJwk;
  /**
   * Hand out the same token for the same audience, tenant, call and lifetime until half its
   * lifetime has passed (default true). A call's turns, or a busy tenant's requests, then cost
   * one Ed25519 signature per token instead of one each, and the receiving service can answer
   * them from its cache of verified tokens. Tokens carry no replay protection either way (the
   * `jti` is for logs), so reuse inside the lifetime grants nothing a single token did not.
   */
  reuseTokens?: boolean;
  /** Milliseconds since the epoch; tests move it. */
  nowMs?: () => number;
}

export function createServiceTokenSigner(options: ServiceTokenSignerOptions): ServiceTokenSigner {
  const privateJwk = servicePrivateJwkSchema.parse(options.privateJwk);
  // Verifiers refuse a token whose iss is not the key's owner; a service given another's key
  // (a mixed-up SERVICE_JWT_PRIVATE_JWK) fails here, at boot, instead of on every request.
  const owner = serviceOfKeyId(privateJwk.kid);
  if (owner !== options.issuer) {
    throw new Error(`the signing key ${privateJwk.kid} belongs to ${String(owner)}, not to ${options.issuer}`);
  }
  const keyPromise = importJWK(privateJwk, SERVICE_TOKEN_ALGORITHM);
  const nowMs = options.nowMs ?? Date.now;
  const reused = new ExpiringCache<Promise<string>>(options.reuseTokens === false ? 0 : REUSED_TOKENS_MAX, nowMs);

  const signFresh = async (claims: SignServiceTokenOptions & { ttlSeconds: number; issuedAt: number }) =>
    new SignJWT({ customer_id: claims.customerId, ...(claims.callId === undefined ? {} : { call_id: claims.callId }) })
      .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(claims.audience)
      .setIssuedAt(claims.issuedAt)
      .setNotBefore(claims.issuedAt)
      .setExpirationTime(claims.issuedAt + claims.ttlSeconds)
      .setJti(randomUUID())
      .sign(await keyPromise);

  return {
    sign({ audience, customerId, callId, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS }) {
      if (!Number.isSafeInteger(customerId) || customerId <= 0) {
        return Promise.reject(new Error(`customerId must be a positive integer (got ${String(customerId)})`));
      }
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TOKEN_TTL_SECONDS) {
        return Promise.reject(new Error(`ttlSeconds must be an integer between 1 and ${MAX_TOKEN_TTL_SECONDS} (got ${ttlSeconds})`));
      }
      // Audience and numbers hold no spaces; the marker keeps "no call" apart from any call id.
      const key = `${audience} ${customerId} ${ttlSeconds} ${callId === undefined ? '-' : `=${callId}`}`;
      const cached = reused.get(key);
      if (cached) return cached;

      const issuedAt = Math.floor(nowMs() / 1000);
      const token = signFresh({ audience, customerId, callId, ttlSeconds, issuedAt });
      // Reused while at least half the lifetime is left, so a receiver never gets a nearly expired token.
      reused.set(key, token, (issuedAt + ttlSeconds / 2) * 1000);
      token.catch(() => reused.delete(key));
      return token;
    },
  };
}
