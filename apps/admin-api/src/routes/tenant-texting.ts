import type { tenantTextingContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { listSmsLog } from '../domain/texting/list-sms-log';
import { addSmsOptOut, listSmsOptOuts } from '../domain/texting/manage-sms-opt-outs';
import { createSmsTemplate, deleteSmsTemplate, listSmsTemplates, updateSmsTemplate } from '../domain/texting/manage-sms-templates';
import { tenantCommand, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** SMS templates, the SMS log and the opt-out list; the tenant is `tenantOf(res)`. */
export function tenantTextingRoutes(deps: RouteDeps): ContractImplementation<typeof tenantTextingContract> {
  const { db } = deps;
  return {
    listSmsTemplates: async ({ res }) => ({
      status: 200,
      body: { success: true, templates: await listSmsTemplates({ db, customerId: tenantOf(res).customerId }) },
    }),
    createSmsTemplate: async ({ body, res }) => ({
      status: 201,
      body: { success: true, template: await createSmsTemplate({ ...tenantCommand(db, res), ...body }) },
    }),
    updateSmsTemplate: async ({ params, body, res }) => ({
      status: 200,
      body: { success: true, template: await updateSmsTemplate({ ...tenantCommand(db, res), templateId: params.templateId, ...body }) },
    }),
    deleteSmsTemplate: async ({ params, res }) => {
      await deleteSmsTemplate({ ...tenantCommand(db, res), templateId: params.templateId });
      return { status: 200, body: { success: true } };
    },
    listSmsLog: async ({ query, res }) => {
      const page = await listSmsLog({
        db,
        customerId: tenantOf(res).customerId,
        callerPhone: query.caller,
        direction: query.direction,
        status: query.status,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, messages: page.messages, next_cursor: page.nextCursor } };
    },
    listSmsOptOuts: async ({ res }) => ({
      status: 200,
      body: { success: true, opt_outs: await listSmsOptOuts({ db, customerId: tenantOf(res).customerId }) },
    }),
    addSmsOptOut: async ({ body, res }) => ({
      status: 200,
      body: { success: true, opt_out: await addSmsOptOut({ ...tenantCommand(db, res), phone: body.phone }) },
    }),
  };
}
