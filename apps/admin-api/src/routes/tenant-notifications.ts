import type { tenantNotificationsContract } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { ContractImplementation } from '@neurosphere/http';
import {
  createNotificationRule,
  deleteNotificationRule,
  listNotificationRules,
  updateNotificationRule,
} from '../domain/notifications/manage-notification-rules';
import { createWebhook, deleteWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from '../domain/notifications/manage-webhooks';
import { listNotificationDeliveries } from '../domain/notifications/list-notification-deliveries';
import { replayNotificationDelivery } from '../domain/notifications/replay-notification-delivery';
import { tenantCommand, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Notification rules, webhooks and the delivery log; the tenant is `tenantOf(res)`. */
export function tenantNotificationsRoutes(deps: RouteDeps): ContractImplementation<typeof tenantNotificationsContract> {
  const { db, webhookDestinations: destinations } = deps;
  return {
    listNotificationRules: async ({ res }) => ({
      status: 200,
      body: { success: true, rules: await listNotificationRules({ db, customerId: tenantOf(res).customerId }) },
    }),
    createNotificationRule: async ({ body, res }) => ({
      status: 201,
      body: { success: true, rule: await createNotificationRule({ ...tenantCommand(db, res), ...body }) },
    }),
    updateNotificationRule: async ({ params, body, res }) => ({
      status: 200,
      body: {
        success: true,
        rule: await updateNotificationRule({
          ...tenantCommand(db, res),
          ruleId: params.ruleId,
          events: body.events,
          enabled: body.enabled,
        }),
      },
    }),
    deleteNotificationRule: async ({ params, res }) => {
      await deleteNotificationRule({ ...tenantCommand(db, res), ruleId: params.ruleId });
      return { status: 200, body: { success: true } };
    },
    listWebhooks: async ({ res }) => ({
      status: 200,
      body: { success: true, webhooks: await listWebhooks({ db, customerId: tenantOf(res).customerId }) },
    }),
    createWebhook: async ({ body, res }) => {
      const { webhook, secret } = await createWebhook({ ...tenantCommand(db, res), ...body, destinations });
      return { status: 201, body: { success: true, webhook, secret } };
    },
    updateWebhook: async ({ params, body, res }) => ({
      status: 200,
      body: {
        success: true,
        webhook: await updateWebhook({ ...tenantCommand(db, res), webhookId: params.webhookId, ...body, destinations }),
      },
    }),
    deleteWebhook: async ({ params, res }) => {
      await deleteWebhook({ ...tenantCommand(db, res), webhookId: params.webhookId });
      return { status: 200, body: { success: true } };
    },
    rotateWebhookSecret: async ({ params, body, res }) => {
      const { webhook, secret } = await rotateWebhookSecret({
        ...tenantCommand(db, res),
        webhookId: params.webhookId,
        graceSeconds: body.grace_seconds,
      });
      return { status: 200, body: { success: true, webhook, secret } };
    },
    listNotificationDeliveries: async ({ query, res }) => {
      const page = await listNotificationDeliveries({
        db,
        customerId: tenantOf(res).customerId,
        status: query.status,
        channel: query.channel,
        eventType: query.event_type,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, deliveries: page.deliveries, next_cursor: page.nextCursor } };
    },
    replayNotificationDelivery: async ({ params, res }) => {
      const { notifications } = deps;
      if (!notifications) throw new AppError('UNAVAILABLE', 'Notifications are not running in this deployment');
      const delivery = await replayNotificationDelivery({
        ...tenantCommand(db, res),
        deliveryId: params.deliveryId,
        enqueueDelivery: notifications.enqueueDelivery,
      });
      return { status: 202, body: { success: true, delivery } };
    },
  };
}
