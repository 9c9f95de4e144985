import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';

/** The only signature algorithm service tokens use (Ed25519 keys). */
export const SERVICE_TOKEN_ALGORITHM = 'EdDSA';

const ed25519PublicFields = {
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  // `kid` picks the verification key out of the JWKS, which is what lets keys rotate.
  kid: z.string().min(1, 'kid is required'),
  alg: z.literal(SERVICE_TOKEN_ALGORITHM).optional(),
  use: z.literal('sig').optional(),
};

/** A service's public verification key, as listed in SERVICE_JWKS. */
export const servicePublicJwkSchema = z.object(ed25519PublicFields).passthrough();
export type ServicePublicJwk = z.infer<typeof servicePublicJwkSchema>;

/** A service's private signing key (SERVICE_JWT_PRIVATE_JWK). */
export const servicePrivateJwkSchema = z.object({ ...ed25519PublicFields, d: z.string().min(1) }).passthrough();
export type ServicePrivateJwk = z.infer<typeof servicePrivateJwkSchema>;

/** SERVICE_JWKS: the public keys of every service, old and new during a rotation. */
export const serviceJwksSchema = z.object({ keys: z.array(servicePublicJwkSchema).min(1, 'must list at least one key') });
export type ServiceJwks = z.infer<typeof serviceJwksSchema>;

/**
 * Makes a fresh Ed25519 key pair tagged with `kid`. For local set-up and tests: production keys are
 * generated the same way but live in the secret store, never in the repository.
 */
export async function generateServiceKeyPair(
  kid: string,
): Promise<{ privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk }> {
  const { privateKey, publicKey } = await generateKeyPair(SERVICE_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const tags = { kid, alg: SERVICE_TOKEN_ALGORITHM, use: 'sig' } as const;
  return {
    privateJwk: servicePrivateJwkSchema.parse({ ...(await exportJWK(privateKey)), ...tags }),
    publicJwk: servicePublicJwkSchema.parse({ ...(await exportJWK(publicKey)), ...tags }),
  };
}
