import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import { serviceContracts } from './openapi';

// docs/architecture.md names service routes in backticks (`POST /v1/calls/:callSid/turn`,
// `/v1/tenants/:customerId/members`). Each of them must be a route of a contract, so the document
// cannot drift from the code unnoticed. Path parameters match whatever their names (`:sid`,
// `<token>`); a bare path must be a route or the start of one (`/v1/platform/*`).

const architecture = readFileSync(join(__dirname, '../../../docs/architecture.md'), 'utf8');

function routesOf(router: AppRouter): AppRoute[] {
  return Object.values(router).flatMap((entry) =>
    'method' in entry && 'path' in entry && typeof entry.path === 'string' ? [entry as AppRoute] : routesOf(entry as AppRouter),
  );
}

const contractRoutes = Object.values(serviceContracts).flatMap(routesOf);

/** `/v1/calls/:callSid/turn`, `/v1/calls/<sid>/turn` -> `/v1/calls/:/turn` */
function pathShape(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment.startsWith(':') || /^<.*>$/.test(segment) ? ':' : segment))
    .join('/');
}

const routeShapes = new Set(contractRoutes.map((route) => `${route.method} ${pathShape(route.path)}`));
const pathShapes = contractRoutes.map((route) => pathShape(route.path));

const quoted = [...architecture.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]!.trim());
const namedRoutes = quoted.flatMap((text) => {
  const match = /^(GET|POST|PUT|PATCH|DELETE) (\/v\d+\/[^\s{]+)/.exec(text);
  return match ? [{ method: match[1]!, path: match[2]! }] : [];
});
const namedPaths = quoted.filter((text) => /^\/v\d+\/\S+$/.test(text));

describe('docs/architecture.md', () => {
  it('names service routes (a check that would pass on an empty document is no check)', () => {
    expect(namedRoutes.length).toBeGreaterThan(10);
    expect(namedPaths.length).toBeGreaterThan(2);
  });

  it.each(namedRoutes.map((route) => [`${route.method} ${route.path}`, route]))('names %s, a route of a contract', (_name, route) => {
    expect(routeShapes).toContain(`${route.method} ${pathShape(route.path)}`);
  });

  it.each(namedPaths)('names %s, a path of a contract', (path) => {
    const prefix = pathShape(path.replace(/\/(\*|\.\.\.)$/, ''));
    expect(pathShapes.some((shape) => shape === prefix || shape.startsWith(`${prefix}/`))).toBe(true);
  });
});
