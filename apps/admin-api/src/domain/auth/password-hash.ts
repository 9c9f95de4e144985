import { argon2id, hash, verify } from 'argon2';

/**
 * argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane): strong enough for
 * login, cheap enough that a few concurrent logins do not starve a small machine. Parameters live
 * in each hash, so raising them later only affects new hashes.
 */
const HASH_OPTIONS = { type: argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * True when `password` matches `storedHash`. A missing hash (unknown email, or a user who never set a
 * password) is still checked against a dummy hash, so the answer takes as long either way and
 * response time does not reveal which emails exist.
 */
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hashPassword('not-a-password-anyone-has');
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    // A malformed stored hash never authenticates.
    return false;
  }
}
