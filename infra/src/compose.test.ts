/**
 * No Docker engine runs on the development and CI machines, so docker-compose.yml and the
 * Dockerfile are kept honest by this static check: every app folder has a compose service built
 * from the Dockerfile with APP set to that folder, publishing the app's port, with its own key and
 * a /readyz health check. The compose file is read line by line (services are 2-space indented
 * keys under `services:`), which is all its layout needs; no YAML library is involved.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATE_ENTRY } from './build/build-artifacts';
import { repoRoot } from './stack/paths';
import { CONSOLE_SERVER, HTTP_SERVICES, isServiceAppFolder, WORKERS, privateKeyVariable } from './stack/service-catalog';

const composeText = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const appFolders = readdirSync(path.join(repoRoot, 'apps'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && isServiceAppFolder(entry.name))
  .map((entry) => entry.name)
  .sort();

/** The text of each service under the top-level `services:` key, by service name. */
function composeServices(text: string): Map<string, string> {
  const services = new Map<string, string>();
  let inServices = false;
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      inServices = /^services:\s*$/.test(line);
      current = undefined;
      continue;
    }
    if (!inServices) continue;
    const serviceKey = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (serviceKey?.[1]) {
      current = serviceKey[1];
      services.set(current, '');
    } else if (current) {
      services.set(current, `${services.get(current)}${line}\n`);
    }
  }
  return services;
}

const services = composeServices(composeText);

describe('docker-compose.yml', () => {
  it('has PostgreSQL 17, Redis 7 and a one-shot migrate service', () => {
    expect(services.get('postgres')).toMatch(/image: postgres:17\b/);
    const redis = services.get('redis') ?? '';
    expect(redis).toMatch(/image: redis:7\b/);
    // A password, required from .env, on the server, its health check and every app's REDIS_URL.
    expect(redis).toContain('REDIS_PASSWORD: ${REDIS_PASSWORD:?');
    expect(redis).toContain('--requirepass \\"$$REDIS_PASSWORD\\"');
    expect(redis).toContain('REDISCLI_AUTH=');
    expect(composeText).toContain('  REDIS_URL: redis://:${REDIS_PASSWORD:?');
    expect(composeText.match(/REDIS_URL:/g)).toHaveLength(1);
    const migrate = services.get('migrate') ?? '';
    // The compiled migration runner inside an app image, with plain node (no dev tooling).
    expect(migrate).toContain(`command: ["node", "${MIGRATE_ENTRY}"]`);
    expect(migrate).toMatch(/\n\s+APP: [a-z-]+\n/);
    expect(migrate).toMatch(/restart: "no"/);
    expect(migrate).toMatch(/condition: service_healthy/);
  });

  it('runs the apps on every interface inside their containers (they default to loopback)', () => {
    expect(dockerfile).toMatch(/\nENV NODE_ENV=production APP=\$\{APP\} HOST=0\.0\.0\.0\n/);
  });

  it('has one service per app folder, and no app service without a folder', () => {
    const builtApps = [...services.values()].flatMap((block) => /\bAPP: (\S+)/.exec(block)?.[1] ?? []);
    expect([...new Set(builtApps)].sort()).toEqual([...appFolders, CONSOLE_SERVER.app].sort());
    expect(HTTP_SERVICES.map((service) => service.app).sort()).toEqual(appFolders);
  });

  it.each(HTTP_SERVICES.map((service) => [service.name, service] as const))(
    'runs %s with its port, its own key and a /readyz health check',
    (name, service) => {
      const block = services.get(name);
      expect(block).toBeDefined();
      expect(block).toMatch(new RegExp(`\\n\\s+APP: ${service.app}\\n`));
      expect(block).toContain(`- "${service.port}:${service.port}"`);
      expect(block).toContain(`PORT: "${service.port}"`);
      expect(block).toContain(`SERVICE_JWT_PRIVATE_JWK: \${${privateKeyVariable(service.name)}:?`);
      for (const secret of service.secrets) expect(block).toContain(`${secret}: \${${secret}:?`);
      expect(block).toContain('healthcheck: *readyz');
      expect(block).toContain('<<: *app-environment');
      // Other services reach it by its compose name.
      expect(composeText).toContain(`${service.urlVariable}: http://${name}:${service.port}`);
    },
  );

  it('runs the memory worker from the memory image with its own key', () => {
    for (const worker of WORKERS) {
      const block = services.get(`${worker.app}-${worker.name}`) ?? '';
      expect(block).toMatch(new RegExp(`\\n\\s+APP: ${worker.app}\\n`));
      expect(block).toContain(`command: ["node", "${worker.productionEntry}"]`);
      expect(block).toContain(`SERVICE_JWT_PRIVATE_JWK: \${${privateKeyVariable(worker.name)}:?`);
    }
  });

  it('runs the console from its own image with no secret, forwarding to admin-api', () => {
    const block = services.get(CONSOLE_SERVER.name) ?? '';
    expect(block).toMatch(new RegExp(`\\n\\s+APP: ${CONSOLE_SERVER.app}\\n`));
    expect(block).toContain(`- "${CONSOLE_SERVER.port}:${CONSOLE_SERVER.port}"`);
    expect(block).toContain(`PORT: "${CONSOLE_SERVER.port}"`);
    expect(block).toContain('ADMIN_API_URL: http://admin-api:8200');
    expect(block).toContain('healthcheck: *readyz');
    expect(block).not.toMatch(/SECRET|JWK|DATABASE|REDIS/);
  });

  it('checks readiness on /readyz of the PORT the container listens on', () => {
    expect(composeText).toMatch(/x-readyz: &readyz\n\s+test: \[.*process\.env\.PORT\+'\/readyz'/);
  });
});

describe('Dockerfile', () => {
  it('takes APP as a build argument and builds it with the production-build command the test runs', () => {
    expect(dockerfile).toMatch(/^ARG APP$/m);
    // infra/src/build/production-build.int.test.ts runs the same file for every app, without Docker.
    expect(dockerfile).toMatch(/^RUN node --import tsx infra\/src\/cli\/build-artifacts\.ts --app "\$\{APP\}" --out \/artifacts$/m);
    expect(dockerfile).toMatch(/^COPY --from=build --chown=node:node \/artifacts\/\$\{APP\} \/app$/m);
    expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "--no-memory-reducer", "dist\/main.js"\]$/m);
  });

  it('runs on Node 24 LTS', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  });

  it('has an app package named @neurosphere/<folder> with a build script for each app folder', () => {
    for (const folder of appFolders) {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'apps', folder, 'package.json'), 'utf8')) as {
        name: string;
        scripts?: Record<string, string>;
      };
      expect(manifest.name).toBe(`@neurosphere/${folder}`);
      expect(manifest.scripts?.build).toBeDefined();
    }
  });

  it('installs the pnpm version pinned in package.json', () => {
    const rootManifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { packageManager: string };
    const pinned = rootManifest.packageManager.replace(/^pnpm@/, '').split('+')[0];
    expect(dockerfile).toContain(`ARG PNPM_VERSION=${pinned}\n`);
  });

  it('runs the app as the unprivileged node user', () => {
    const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(runtimeStage).toMatch(/^USER node$/m);
  });

  it('installs the workspace from the lockfile without network before building', () => {
    expect(dockerfile).toMatch(/^RUN pnpm install --frozen-lockfile --offline$/m);
  });
});
