import { isPortFree } from './processes';
import type { HttpServiceSpec } from './service-catalog';
import { HTTP_SERVICES } from './service-catalog';

/** LOCAL_GATEWAY_PORT, LOCAL_ADMIN_API_PORT, ...: where the dev stack runs a service instead of its usual port. */
export function localPortVariable(serviceName: string): string {
  return `LOCAL_${serviceName.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/** A port number from `env[name]`, or `fallback` when unset; anything else is refused, naming the variable. */
export function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number, not "${raw}"`);
  return value;
}

/** Each service's port in the local stack: the catalog's, unless LOCAL_<SERVICE>_PORT says otherwise. */
export function localServicePorts(env: NodeJS.ProcessEnv): Record<HttpServiceSpec['name'], number> {
  return Object.fromEntries(
    HTTP_SERVICES.map((service) => [service.name, portFromEnv(env, localPortVariable(service.name), service.port)]),
  ) as Record<HttpServiceSpec['name'], number>;
}

/** Throws, naming each busy one, unless every service's local port is free. */
export async function checkAppPortsFree(ports: Record<HttpServiceSpec['name'], number>): Promise<void> {
  const busy: string[] = [];
  for (const service of HTTP_SERVICES) {
    if (!(await isPortFree(ports[service.name]))) busy.push(`${service.name} (${ports[service.name]})`);
  }
  if (busy.length > 0) {
    throw new Error(
      `ports already in use: ${busy.join(', ')}. Is another stack running? Stop it first, or move a service with ${localPortVariable('gateway')} and the like.`,
    );
  }
}
