import { generateSchema } from '@anatine/zod-openapi';
import { generateOpenApi } from '@ts-rest/open-api';
import type { AppRoute, AppRouter } from '@ts-rest/core';
import {
  adminContract,
  adminRouteAccessSchema,
  CSRF_HEADER,
  notificationEventDataSchemas,
  SESSION_COOKIE_NAMES,
  webhookEnvelopeSchema,
} from './admin';
import { memoryContract } from './memory';
import { orchestratorContract } from './orchestrator';
import { relayContract } from './relay';
import { smsContract } from './sms';

/** Every service's router, by the name it has in service JWTs and in the docs. */
export const serviceContracts: Record<string, AppRouter> = {
  memory: memoryContract,
  sms: smsContract,
  // The relay routes are the orchestrator's too: one service, one document.
  orchestrator: { ...orchestratorContract, relay: relayContract },
  'admin-api': adminContract,
};

/** The OpenAPI 3 document of one service, generated from its ts-rest router (the single source). */
export function buildOpenApiDocument(service: keyof typeof serviceContracts & string) {
  const router = serviceContracts[service];
  if (!router) throw new Error(`no contract for service "${service}"`);
  if (service === 'admin-api') return buildAdminOpenApiDocument();
  return generateOpenApi(
    router,
    {
      info: { title: `NeuroSphere ${service} API`, version: '1.0.0' },
      components: {
        securitySchemes: { serviceJwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ serviceJwt: [] }],
    },
    { setOperationId: 'concatenated-path' },
  );
}

const ADMIN_SECURITY_SCHEMES = {
  accessToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The access_token of a bearer session (POST /v1/auth/login). Lives 15 minutes; POST /v1/auth/refresh gives a new one.',
  },
  sessionCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE_NAMES.access,
    description:
      `The web console's cookie session (login with session "cookie"). State-changing requests also need the ${CSRF_HEADER} ` +
      `header equal to the ${SESSION_COOKIE_NAMES.csrf} cookie, and an allowed Origin.`,
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'nsk_...',
    description: "A tenant API key (created by the tenant's owners). Works on that tenant's routes that name one of its scopes.",
  },
} as const;

/** Who may call an admin route, in words and as OpenAPI security requirements, from its metadata.access. */
function describeAdminAccess(route: AppRoute): { security: Record<string, string[]>[]; text: string; scope?: string } {
  const parsed = adminRouteAccessSchema.safeParse(route.metadata);
  if (!parsed.success) return { security: [], text: 'Public.' };
  const access = parsed.data;
  const session: Record<string, string[]>[] = [{ accessToken: [] }, { sessionCookie: [] }];
  switch (access.access) {
    case 'public':
      return { security: [], text: 'Public: no credentials.' };
    case 'authenticated':
      return { security: session, text: 'Any signed-in admin (not API keys).' };
    case 'platform':
      return { security: session, text: 'Platform admins only.' };
    case 'tenant':
      return access.scope
        ? {
            security: [...session, { apiKey: [] }],
            text: `Members of the tenant with role ${access.role} or higher, or an API key of the tenant with scope \`${access.scope}\`.`,
            scope: access.scope,
          }
        : { security: session, text: `Members of the tenant with role ${access.role} or higher (not API keys).` };
  }
}

const WEBHOOKS_DESCRIPTION = [
  '## Webhooks',
  'Tenants add signed webhook endpoints (POST /v1/tenants/{customerId}/webhooks). Each event is POSTed as JSON: the envelope is the',
  '`WebhookEnvelope` schema below, and its `data` is the `WebhookData_<event type>` schema of its `type` (events: call.started,',
  'call.completed, message.taken, callback.requested, transfer.failed, sms.received). Every request carries',
  "`NeuroSphere-Signature: t=<unix seconds>,v1=<hex>`: v1 is HMAC-SHA256 of `<t>.<raw body>` keyed with the endpoint's secret",
  "(one v1 per secret during a rotation's grace period). Refuse a t more than 300 s from your clock. Non-2xx answers are retried",
  'with backoff; failed deliveries can be replayed. docs/WEBHOOKS.md has examples and a verifier.',
].join(' ');

/** The webhook bodies as OpenAPI schemas: the envelope, and `data` of each event type. */
function webhookSchemas() {
  return {
    WebhookEnvelope: generateSchema(webhookEnvelopeSchema),
    ...Object.fromEntries(
      Object.entries(notificationEventDataSchemas).map(([type, schema]) => [
        `WebhookData_${type.replace('.', '_')}`,
        generateSchema(schema),
      ]),
    ),
  };
}

/**
 * The admin API's OpenAPI document (served by admin-api at /openapi.json, rendered at /docs): each
 * operation's security and description say who may call it, read from the route's metadata.access,
 * and `x-api-key-scope` names the scope an API key needs.
 */
export function buildAdminOpenApiDocument() {
  return generateOpenApi(
    adminContract,
    {
      info: {
        title: 'NeuroSphere admin-api API',
        version: '1.0.0',
        description:
          'Platform and tenant administration. Sign in with POST /v1/auth/login (bearer or cookie session), or call tenant ' +
          'routes with a tenant API key. Errors share one shape: {success:false, error, code, details?}.\n\n' +
          WEBHOOKS_DESCRIPTION,
      },
      components: { securitySchemes: ADMIN_SECURITY_SCHEMES, schemas: webhookSchemas() },
    },
    {
      setOperationId: 'concatenated-path',
      operationMapper: (operation, route) => {
        const access = describeAdminAccess(route);
        return {
          ...operation,
          security: access.security,
          description: [operation.description, `Access: ${access.text}`].filter(Boolean).join('\n\n'),
          ...(access.scope ? { 'x-api-key-scope': access.scope } : {}),
        };
      },
    },
  );
}
