import type { tenantInboxContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { addInboxNote } from '../domain/inbox/add-inbox-note';
import { countInbox } from '../domain/inbox/count-inbox';
import { getInboxItem } from '../domain/inbox/get-inbox-item';
import { listInbox } from '../domain/inbox/list-inbox';
import { updateInboxItem } from '../domain/inbox/update-inbox-item';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** The inbox of messages and callback requests; the tenant is `tenantOf(res)`. */
export function tenantInboxRoutes(deps: RouteDeps): ContractImplementation<typeof tenantInboxContract> {
  const { db } = deps;
  return {
    listInbox: async ({ query, res }) => {
      const page = await listInbox({
        db,
        customerId: tenantOf(res).customerId,
        status: query.status,
        kind: query.kind,
        urgency: query.urgency,
        assignee: query.assignee,
        callerPhone: query.caller,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, items: page.items, next_cursor: page.nextCursor } };
    },
    countInbox: async ({ res }) => {
      const counts = await countInbox({ db, customerId: tenantOf(res).customerId });
      return { status: 200, body: { success: true, counts } };
    },
    getInboxItem: async ({ params, res }) => {
      const item = await getInboxItem({ db, customerId: tenantOf(res).customerId, itemId: params.itemId });
      return { status: 200, body: { success: true, item } };
    },
    updateInboxItem: async ({ params, body, res }) => {
      const item = await updateInboxItem({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        itemId: params.itemId,
        status: body.status,
        urgency: body.urgency,
        assigneeId: body.assignee_id,
      });
      return { status: 200, body: { success: true, item } };
    },
    addInboxNote: async ({ params, body, res }) => {
      const item = await addInboxNote({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        itemId: params.itemId,
        body: body.body,
      });
      return { status: 201, body: { success: true, item } };
    },
  };
}
