import type { NotificationEventType, NotificationRuleView } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { toRuleView } from './notification-views';
import type { TenantCommand } from '../shared/tenant-command';

/** The tenant's staff SMS and email rules, newest first. */
export async function listNotificationRules(options: { db: Db; customerId: number }): Promise<NotificationRuleView[]> {
  const { customerId } = options;
  const rules = await withTenant(options.db, customerId, (tx) =>
    tx.notificationRule.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  );
  return rules.map(toRuleView);
}

/** A new rule: text or email `target` about `events` (audited). */
export async function createNotificationRule(
  options: TenantCommand & { channel: 'sms' | 'email'; target: string; events: NotificationEventType[]; enabled: boolean },
): Promise<NotificationRuleView> {
  const { customerId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const rule = await tx.notificationRule.create({
      data: {
        customerId,
        channel: options.channel,
        target: options.target,
        events: options.events,
        enabled: options.enabled,
        createdBy: options.actor,
      },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'notification_rule.created',
        target: `notification_rule:${rule.id}`,
        details: { channel: rule.channel, events: rule.events },
      },
    });
    return toRuleView(rule);
  });
}

/** Changes a rule's events or switches it on or off (audited). */
export async function updateNotificationRule(
  options: TenantCommand & { ruleId: string; events?: NotificationEventType[]; enabled?: boolean },
): Promise<NotificationRuleView> {
  const { customerId, ruleId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const found = await tx.notificationRule.findUnique({ where: { customerId_id: { customerId, id: ruleId } } });
    if (!found) throw new AppError('NOT_FOUND', `Notification rule ${ruleId} not found`);
    const rule = await tx.notificationRule.update({
      where: { customerId_id: { customerId, id: ruleId } },
      data: {
        ...(options.events ? { events: options.events } : {}),
        ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'notification_rule.updated',
        target: `notification_rule:${rule.id}`,
        details: { events: rule.events, enabled: rule.enabled },
      },
    });
    return toRuleView(rule);
  });
}

/** Deletes a rule (audited); its deliveries stay in the log. */
export async function deleteNotificationRule(options: TenantCommand & { ruleId: string }): Promise<void> {
  const { customerId, ruleId } = options;
  await withTenant(options.db, customerId, async (tx) => {
    const deleted = await tx.notificationRule.deleteMany({ where: { customerId, id: ruleId } });
    if (deleted.count === 0) throw new AppError('NOT_FOUND', `Notification rule ${ruleId} not found`);
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'notification_rule.deleted', target: `notification_rule:${ruleId}` },
    });
  });
}
