import { SERVICE_TOKEN_ALGORITHM } from '@neurosphere/auth';
import type { ServiceName, ServicePrivateJwk } from '@neurosphere/auth';
import { importJWK, SignJWT } from 'jose';

/**
 * A well-formed service token that the platform's signer refuses to make: signed with
 * `privateJwk` (one service's key) while `iss` claims `issuer` (another service). For tests that
 * check every service refuses it.
 */
export async function signTokenClaimingIssuer(options: {
  privateJwk: ServicePrivateJwk;
  issuer: ServiceName;
  audience: ServiceName;
  customerId: number;
  callId?: string;
}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ customer_id: options.customerId, ...(options.callId === undefined ? {} : { call_id: options.callId }) })
    .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, kid: options.privateJwk.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 30)
    .setJti(`forged-${now}`)
    .sign(await importJWK(options.privateJwk, SERVICE_TOKEN_ALGORITHM));
}
