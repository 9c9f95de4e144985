/**
 * Prints fresh keys as .env lines for docker compose (or any deployment that reads env vars):
 * one Ed25519 signing key per service, SERVICE_JWKS with all their public keys, a BYOK keyring and
 * the secrets single services hold (ADMIN_JWT_SECRET) and the Redis password (REDIS_PASSWORD).
 *   pnpm --filter @neurosphere/infra keys >> .env
 * Nothing is written to disk here; where the output goes is the caller's choice.
 */
import { byokEnvironment, generateByokKeyring } from '../stack/byok-keyring';
import { renderEnvFile } from '../stack/env-file';
import { generateSecret } from '../stack/dev-secrets';
import { generateRedisPassword } from '../stack/redis';
import { HTTP_SERVICES, KEYED_SERVICE_NAMES, privateKeyVariable } from '../stack/service-catalog';
import { generateServiceKeyring } from '../stack/service-keys';

async function main(): Promise<void> {
  const stamp = new Date().toISOString().slice(0, 10);
  const keyring = await generateServiceKeyring(KEYED_SERVICE_NAMES, stamp);
  const variables: Record<string, string> = {};
  for (const name of KEYED_SERVICE_NAMES) variables[privateKeyVariable(name)] = JSON.stringify(keyring.privateKeys[name]);
  variables.SERVICE_JWKS = JSON.stringify(keyring.jwks);
  Object.assign(variables, byokEnvironment(generateByokKeyring(`byok-${stamp}`)));
  for (const name of HTTP_SERVICES.flatMap((service) => service.secrets)) variables[name] = generateSecret();
  variables.REDIS_PASSWORD = generateRedisPassword();
  process.stdout.write(
    renderEnvFile(variables, `Generated ${new Date().toISOString()} by pnpm --filter @neurosphere/infra keys. Secrets: never commit.`),
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
