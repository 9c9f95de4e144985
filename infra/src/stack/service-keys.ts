import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateServiceKeyPair, servicePrivateJwkSchema, servicePublicJwkSchema } from '@neurosphere/auth';
import type { ServiceJwks, ServicePrivateJwk } from '@neurosphere/auth';

export interface ServiceKeyring {
  /** Private signing key of each service, by service name. */
  privateKeys: Record<string, ServicePrivateJwk>;
  /** Public keys of every service: the SERVICE_JWKS document. */
  jwks: ServiceJwks;
}

function toPublic(privateJwk: ServicePrivateJwk) {
  const { d: _secret, ...publicFields } = privateJwk;
  return servicePublicJwkSchema.parse(publicFields);
}

/** Fresh Ed25519 keys, one per service, key id `<service>-<label>` (e.g. `gateway-test`). */
export async function generateServiceKeyring(serviceNames: readonly string[], label: string): Promise<ServiceKeyring> {
  const privateKeys: Record<string, ServicePrivateJwk> = {};
  for (const name of serviceNames) privateKeys[name] = (await generateServiceKeyPair(`${name}-${label}`)).privateJwk;
  return { privateKeys, jwks: { keys: Object.values(privateKeys).map(toPublic) } };
}

/**
 * Dev keys persist in `<dir>/<service>.private.jwk.json` (mode 600, under the git-ignored .local/)
 * so tokens and data survive restarts; a missing key is generated. `jwks.json` is rewritten each
 * time from the private keys, so it always matches them.
 */
export async function loadOrCreateDevKeyring(dir: string, serviceNames: readonly string[]): Promise<ServiceKeyring> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const privateKeys: Record<string, ServicePrivateJwk> = {};
  for (const name of serviceNames) {
    const file = path.join(dir, `${name}.private.jwk.json`);
    if (existsSync(file)) {
      privateKeys[name] = servicePrivateJwkSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    } else {
      privateKeys[name] = (await generateServiceKeyPair(`${name}-dev`)).privateJwk;
      writeFileSync(file, `${JSON.stringify(privateKeys[name], null, 2)}\n`, { mode: 0o600 });
    }
  }
  const jwks = { keys: Object.values(privateKeys).map(toPublic) };
  writeFileSync(path.join(dir, 'jwks.json'), `${JSON.stringify(jwks, null, 2)}\n`);
  return { privateKeys, jwks };
}
