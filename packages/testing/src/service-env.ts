import { generateServiceKeyPair } from '@neurosphere/auth';
import { EnvValidationError } from '@neurosphere/config';

/**
 * The variables every app's env needs (database, Redis, its signing key and the JWKS), valid,
 * for env tests; each app adds its own. The key pair is fresh and its kid is `kid`.
 */
export async function baseServiceEnv(kid: string): Promise<Record<string, string>> {
  const { privateJwk, publicJwk } = await generateServiceKeyPair(kid);
  return {
    DATABASE_URL: 'postgres://neurosphere_app:app@127.0.0.1:5432/neurosphere',
    REDIS_URL: 'redis://127.0.0.1:6379',
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateJwk),
    SERVICE_JWKS: JSON.stringify({ keys: [publicJwk] }),
  };
}

/** The one-line message an app's env parser fails with; throws if the source parses. */
export function envErrorOf(
  parse: (source: Record<string, string | undefined>) => unknown,
  source: Record<string, string | undefined>,
): string {
  try {
    parse(source);
  } catch (error) {
    if (error instanceof EnvValidationError) return error.message;
    throw error;
  }
  throw new Error('expected the environment to be refused');
}
