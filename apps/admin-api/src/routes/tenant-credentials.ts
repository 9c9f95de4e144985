import type { tenantCredentialsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import {
  listTenantCredentials,
  removeTenantCredential,
  setTenantCredential,
  verifyTenantCredential,
} from '../domain/credentials/tenant-credentials';
import { tenantCommand, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant owner routes: the tenant's own provider keys, write-only (never returned). */
export function tenantCredentialsRoutes(deps: RouteDeps): ContractImplementation<typeof tenantCredentialsContract> {
  const { db, platformDb, operations } = deps;
  const base = (res: Parameters<typeof tenantOf>[0], provider: 'twilio' | 'openai' | 'elevenlabs') => ({
    ...tenantCommand(db, res),
    platformDb,
    operations,
    provider,
  });
  return {
    listCredentials: async ({ res }) => {
      const credentials = await listTenantCredentials({ db, customerId: tenantOf(res).customerId });
      return { status: 200, body: { success: true, credentials } };
    },
    setCredential: async ({ params, body, res }) => {
      const credential = await setTenantCredential({
        ...base(res, params.provider),
        secret: body.secret,
        accountSid: body.account_sid,
        mode: 'set',
      });
      return { status: 200, body: { success: true, credential } };
    },
    rotateCredential: async ({ params, body, res }) => {
      const credential = await setTenantCredential({
        ...base(res, params.provider),
        secret: body.secret,
        accountSid: body.account_sid,
        mode: 'rotate',
      });
      return { status: 200, body: { success: true, credential } };
    },
    verifyCredential: async ({ params, res }) => {
      const credential = await verifyTenantCredential(base(res, params.provider));
      return { status: 200, body: { success: true, credential } };
    },
    removeCredential: async ({ params, res }) => {
      await removeTenantCredential(base(res, params.provider));
      return { status: 200, body: { success: true } };
    },
  };
}
