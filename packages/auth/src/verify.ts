import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { ExpiringCache } from './expiring-cache';
import { SERVICE_TOKEN_ALGORITHM, serviceJwksSchema, serviceOfKeyId } from './keys';
import type { ServiceJwks } from './keys';
import { MAX_TOKEN_TTL_SECONDS } from './sign';
import type { ServiceName } from './service-names';

/** What a verified service token says: who called, for which tenant, within which call. */
export interface ServiceAuth {
  customerId: number;
  issuer: ServiceName;
  callId: string | undefined;
  tokenId: string;
}

/** A token was refused; `message` says why in words safe to return to the caller. */
export class ServiceAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceAuthError';
  }
}

export interface ServiceTokenVerifierOptions {
  /** This service: tokens addressed to anyone else are refused. */
  audience: ServiceName;
  /** Services allowed to call this one. */
  allowedIssuers: readonly ServiceName[];
  /** Public keys (`{ keys: [...] }`, each with a `kid`). */
  jwks: ServiceJwks;
  /**
   * Allowed clock skew between services for exp, nbf and iat; default 5 s. A token issued further
   * in the future than this is refused, and so is one issued more than 60 s plus this ago,
   * whatever its `exp` says: the lifetime is measured on this service's clock.
   */
  clockToleranceSeconds?: number;
  /**
   * How many verified tokens to remember until they expire (default 10,000; 0 turns it off).
   * Signers reuse a token for half its lifetime, so most requests carry a token this service has
   * already checked: the lookup is by the token's exact text, so a hit is the same signed bytes
   * that passed every check below, and only until its `exp`.
   */
  verifiedTokenCacheSize?: number;
  /** Milliseconds since the epoch, for the cache's expiry; tests move it. */
  nowMs?: () => number;
}

export type ServiceTokenVerifier = (token: string) => Promise<ServiceAuth>;

export function createServiceTokenVerifier(options: ServiceTokenVerifierOptions): ServiceTokenVerifier {
  const jwks = serviceJwksSchema.parse(options.jwks);
  const keySet = createLocalJWKSet(jwks);
  // The schema guarantees every kid names its owner.
  const ownerByKeyId = new Map(jwks.keys.map((key) => [key.kid, serviceOfKeyId(key.kid)!]));
  const allowedIssuers = new Set<string>(options.allowedIssuers);
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const nowMs = options.nowMs ?? Date.now;
  const verified = new ExpiringCache<ServiceAuth>(options.verifiedTokenCacheSize ?? 10_000, nowMs);

  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new ServiceAuthError('Service token is malformed');
    }
    // Checked before any key lookup so "none" and HMAC-with-the-public-key tokens never reach a verifier.
    if (header.alg !== SERVICE_TOKEN_ALGORITHM) {
      throw new ServiceAuthError(`Service token algorithm ${String(header.alg)} is not supported`);
    }
    const keyOwner = typeof header.kid === 'string' ? ownerByKeyId.get(header.kid) : undefined;
    if (!keyOwner) throw new ServiceAuthError(`Service token key id ${String(header.kid)} is unknown`);

    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: [SERVICE_TOKEN_ALGORITHM],
        audience: options.audience,
        clockTolerance,
        // Refuses an iat in the future (beyond the tolerance) and an iat older than the longest
        // lifetime: a token cannot stretch its life by claiming a later issue time.
        maxTokenAge: MAX_TOKEN_TTL_SECONDS,
        currentDate: new Date(nowMs()),
        requiredClaims: ['iss', 'aud', 'iat', 'exp', 'jti'],
      }));
    } catch (error) {
      throw new ServiceAuthError(describeJoseError(error));
    }

    // A key speaks only for the service that owns it: gateway's key cannot sign as orchestrator.
    if (payload.iss !== keyOwner) {
      throw new ServiceAuthError(`Service token issuer ${String(payload.iss)} does not own key ${header.kid!}`);
    }
    // The issuer is checked here rather than by jose so the message can name it.
    if (!allowedIssuers.has(payload.iss)) {
      throw new ServiceAuthError(`Service token issuer ${String(payload.iss)} is not allowed`);
    }
    if (payload.exp! - payload.iat! > MAX_TOKEN_TTL_SECONDS) {
      throw new ServiceAuthError(`Service token lifetime exceeds ${MAX_TOKEN_TTL_SECONDS} seconds`);
    }
    const customerId = payload['customer_id'];
    if (customerId === undefined) throw new ServiceAuthError('Service token has no customer_id claim');
    if (typeof customerId !== 'number' || !Number.isSafeInteger(customerId) || customerId <= 0) {
      throw new ServiceAuthError('Service token customer_id must be a positive integer');
    }
    const callId = payload['call_id'];
    if (callId !== undefined && typeof callId !== 'string') {
      throw new ServiceAuthError('Service token call_id must be a string');
    }
    const auth: ServiceAuth = Object.freeze({ customerId, issuer: keyOwner, callId, tokenId: payload.jti! });
    // Remembered until exp without the clock tolerance: after that the full check decides again.
    verified.set(token, auth, payload.exp! * 1000);
    return auth;
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat' ? `Service token was issued more than ${MAX_TOKEN_TTL_SECONDS} seconds ago` : 'Service token has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `Service token has no ${error.claim} claim`;
    if (error.claim === 'nbf') return 'Service token is not yet valid';
    if (error.claim === 'iat') return 'Service token was issued in the future';
    if (error.claim === 'aud') return 'Service token has the wrong audience';
    return `Service token ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'Service token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return 'Service token algorithm is not supported';
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'Service token key id is unknown';
  return 'Service token is malformed';
}
