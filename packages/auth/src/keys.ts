import { exportJWK, generateKeyPair } from 'jose';
import { z } from 'zod';
import { SERVICE_NAMES } from './service-names';
import type { ServiceName } from './service-names';

/** The only signature algorithm service tokens use (Ed25519 keys). */
export const SERVICE_TOKEN_ALGORITHM = 'EdDSA';

/**
 * The service a key belongs to, read from its key id: every kid is `<service>-<label>` (e.g.
 * `gateway-2026-12-05`, `admin-api-dev`). Verifiers accept a token only when its `iss` is the
 * owner of the key that signed it, so one service's key cannot speak for another. The longest
 * matching name wins, so a future `sms-worker` would not be read as `sms`.
 */
export function serviceOfKeyId(kid: string): ServiceName | undefined {
  let owner: ServiceName | undefined;
  for (const name of SERVICE_NAMES) {
    if (kid.startsWith(`${name}-`) && kid.length > name.length + 1 && name.length > (owner?.length ?? 0)) owner = name;
  }
  return owner;
}

const keyIdSchema = z
  .string()
  .min(1, 'kid is required')
  .refine(
    (kid) => serviceOfKeyId(kid) !== undefined,
    (kid) => ({
      message: `kid "${kid}" must be <service>-<label>, naming the service that owns the key (${SERVICE_NAMES.join(', ')})`,
    }),
  );

const ed25519PublicFields = {
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().min(1),
  // `kid` picks the verification key out of the JWKS, which is what lets keys rotate, and names
  // the key's owner (serviceOfKeyId).
  kid: keyIdSchema,
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
export const serviceJwksSchema = z.object({
  keys: z
    .array(servicePublicJwkSchema)
    .min(1, 'must list at least one key')
    // A kid listed twice would leave it to the lookup which key (and which owner) a token gets.
    .superRefine((keys, context) => {
      const seen = new Set<string>();
      for (const { kid } of keys) {
        if (seen.has(kid)) context.addIssue({ code: z.ZodIssueCode.custom, message: `kid "${kid}" is listed more than once` });
        seen.add(kid);
      }
    }),
});
export type ServiceJwks = z.infer<typeof serviceJwksSchema>;

/**
 * Makes a fresh Ed25519 key pair tagged with `kid` (`<service>-<label>`: the service that will sign
 * with it). For local set-up and tests: production keys are generated the same way but live in the
 * secret store, never in the repository.
 */
export async function generateServiceKeyPair(kid: string): Promise<{ privateJwk: ServicePrivateJwk; publicJwk: ServicePublicJwk }> {
  const checked = keyIdSchema.safeParse(kid);
  if (!checked.success) throw new Error(checked.error.issues[0]?.message ?? `kid "${kid}" is invalid`);
  const { privateKey, publicKey } = await generateKeyPair(SERVICE_TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const tags = { kid, alg: SERVICE_TOKEN_ALGORITHM, use: 'sig' } as const;
  return {
    privateJwk: servicePrivateJwkSchema.parse({ ...(await exportJWK(privateKey)), ...tags }),
    publicJwk: servicePublicJwkSchema.parse({ ...(await exportJWK(publicKey)), ...tags }),
  };
}
