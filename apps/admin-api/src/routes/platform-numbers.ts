import type { platformNumbersContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import {
  addTenantNumber,
  listTenantNumbers,
  moveTenantNumber,
  releaseTenantNumber,
  repairWebhooks,
  searchAvailableNumbers,
} from '../domain/numbers/tenant-numbers';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): a tenant's numbers, Twilio work outside any transaction. */
export function platformNumbersRoutes(deps: RouteDeps): ContractImplementation<typeof platformNumbersContract> {
  const { platformDb, operations } = deps;
  const base = (res: Parameters<typeof adminOf>[0], customerId: number) => ({
    platformDb,
    operations,
    actorId: adminOf(res).id,
    customerId,
  });
  return {
    searchAvailableNumbers: async ({ params, query, res }) => {
      const numbers = await searchAvailableNumbers({ ...base(res, params.customerId), search: query });
      return { status: 200, body: { success: true, numbers } };
    },
    listTenantNumbers: async ({ params, res }) => {
      const numbers = await listTenantNumbers(base(res, params.customerId));
      return { status: 200, body: { success: true, numbers } };
    },
    addTenantNumber: async ({ params, body, res }) => {
      const number = await addTenantNumber({ ...base(res, params.customerId), choice: body.number, purpose: body.purpose });
      return { status: 201, body: { success: true, number } };
    },
    moveTenantNumber: async ({ params, body, res }) => {
      const number = await moveTenantNumber({
        ...base(res, params.customerId),
        e164: params.phoneNumber,
        toCustomerId: body.to_customer_id,
      });
      return { status: 200, body: { success: true, number } };
    },
    releaseTenantNumber: async ({ params, res }) => {
      const released = await releaseTenantNumber({ ...base(res, params.customerId), e164: params.phoneNumber });
      return { status: 200, body: { success: true, phone_number: params.phoneNumber, released_from_twilio: released.releasedFromTwilio } };
    },
    repairWebhooks: async ({ body, res }) => {
      const numbers = await repairWebhooks({ platformDb, operations, actorId: adminOf(res).id, customerId: body.customer_id });
      return { status: 200, body: { success: true, numbers } };
    },
  };
}
