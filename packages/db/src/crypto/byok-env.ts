import { z } from 'zod';
import { parseKeyring, SecretBoxError } from './secret-box';
import type { Keyring } from './secret-box';

/**
 * The optional BYOK keyring variables of a service's env schema. Spread into the schema's object,
 * then pass the parsed object to `withByokKeyring` in its transform.
 */
export const byokEnvShape = {
  // AES-256-GCM keyring ({"<kid>":"<base64 32 bytes>"}) that decrypts tenants' own provider credentials (BYOK).
  BYOK_KEYS: z.string().min(1).optional(),
  // The BYOK_KEYS entry new secrets are encrypted with (required with BYOK_KEYS).
  BYOK_ACTIVE_KEY_ID: z.string().min(1).optional(),
};

/**
 * Parses the keyring at boot, so a malformed one stops the service with a line naming the variable
 * instead of failing every BYOK tenant's requests later. Returns the env with `byokKeyring`
 * (undefined when neither variable is set), or z.NEVER after reporting the problem.
 */
export function withByokKeyring<T extends { BYOK_KEYS?: string; BYOK_ACTIVE_KEY_ID?: string }>(
  env: T,
  ctx: z.RefinementCtx,
): T & { byokKeyring: Keyring | undefined } {
  const { BYOK_KEYS: keys, BYOK_ACTIVE_KEY_ID: activeKeyId } = env;
  if (keys === undefined && activeKeyId === undefined) return { ...env, byokKeyring: undefined };
  if (keys === undefined || activeKeyId === undefined) {
    const [missing, present] = keys === undefined ? ['BYOK_KEYS', 'BYOK_ACTIVE_KEY_ID'] : ['BYOK_ACTIVE_KEY_ID', 'BYOK_KEYS'];
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: `is required when ${present} is set` });
    return z.NEVER;
  }
  try {
    return { ...env, byokKeyring: parseKeyring(keys, activeKeyId) };
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BYOK_KEYS'], message: `is invalid (${error.message})` });
    return z.NEVER;
  }
}
