import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './service-processes';

/**
 * The platform team's first steps on an empty platform, as they would take them: the first
 * platform admin from the command line (exactly as docs/CUSTOMER_ONBOARDING_GUIDE.md shows it),
 * their password from its one-time token, a login, and the industry template from the seed
 * published through the API.
 */
export async function firstPlatformAdminSession(options: {
  adminApiUrl: string;
  platformDatabaseUrl: string;
  email: string;
  password: string;
}): Promise<string> {
  const { stdout } = await promisify(execFile)(
    'bash',
    ['-c', `pnpm --filter @neurosphere/admin-api create-platform-admin -- --email ${options.email}`],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_PLATFORM_URL: options.platformDatabaseUrl },
      timeout: 60_000,
    },
  );
  const token = stdout.split('\n').find((line) => line.startsWith('nsp_'));
  if (!token) throw new Error(`create-platform-admin printed no token:\n${stdout}`);
  await call(options.adminApiUrl, 'POST', '/v1/auth/password-reset/confirm', { token, password: options.password });
  const session = (await call(options.adminApiUrl, 'POST', '/v1/auth/login', { email: options.email, password: options.password })) as {
    access_token: string;
  };
  return `Bearer ${session.access_token}`;
}

/** Publishes a template of the seed (packages/db/seed/templates/<file>) under `industry`. */
export async function publishSeedTemplate(
  adminApiUrl: string,
  authorization: string,
  file: string,
  industry: string,
): Promise<{ industry: string; version: number }> {
  const definition = JSON.parse(readFileSync(path.join(repoRoot, 'packages/db/seed/templates', file), 'utf8')) as { version: number };
  await call(adminApiUrl, 'POST', '/v1/platform/templates', { definition: { ...definition, industry } }, authorization);
  return { industry, version: definition.version };
}

/** One JSON call to the admin-api; throws naming the answer unless 2xx. */
export async function call(
  baseUrl: string,
  method: string,
  route: string,
  body?: unknown,
  authorization?: string,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}
