import { generateOpenApi } from '@ts-rest/open-api';
import type { AppRouter } from '@ts-rest/core';
import { adminContract } from './admin';
import { memoryContract } from './memory';
import { orchestratorContract } from './orchestrator';
import { smsContract } from './sms';

/** Every service's router, by the name it has in service JWTs and in the docs. */
export const serviceContracts: Record<string, AppRouter> = {
  memory: memoryContract,
  sms: smsContract,
  orchestrator: orchestratorContract,
  'admin-api': adminContract,
};

/** The OpenAPI 3 document of one service, generated from its ts-rest router (the single source). */
export function buildOpenApiDocument(service: keyof typeof serviceContracts & string) {
  const router = serviceContracts[service];
  if (!router) throw new Error(`no contract for service "${service}"`);
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
