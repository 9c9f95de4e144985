import type { NotificationEventType, WebhookEndpointView } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { randomBytes } from 'node:crypto';
import { toWebhookView } from './notification-views';
import { webhookDestinationProblem } from './webhook-destination';
import type { WebhookDestinationPolicy } from './webhook-destination';
import type { TenantCommand } from '../shared/tenant-command';

/** A new signing secret: 32 random bytes, recognisable by its prefix. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export async function listWebhooks(options: { db: Db; customerId: number }): Promise<WebhookEndpointView[]> {
  const { customerId } = options;
  const endpoints = await withTenant(options.db, customerId, (tx) =>
    tx.webhookEndpoint.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  );
  return endpoints.map((endpoint) => toWebhookView(endpoint));
}

/** 422 naming the problem when webhooks may not go to `url` (webhook-destination.ts). */
async function assertWebhookDestination(url: string, policy: WebhookDestinationPolicy): Promise<void> {
  const problem = await webhookDestinationProblem(url, policy);
  if (problem) throw new AppError('UNPROCESSABLE', `url: ${problem}`, { details: [{ path: 'url', message: problem }] });
}

/** Adds an endpoint with a fresh secret (audited); the secret is returned this once. */
export async function createWebhook(
  options: TenantCommand & {
    url: string;
    description?: string | null;
    events: NotificationEventType[];
    enabled: boolean;
    destinations: WebhookDestinationPolicy;
  },
): Promise<{ webhook: WebhookEndpointView; secret: string }> {
  const { customerId } = options;
  await assertWebhookDestination(options.url, options.destinations);
  const secret = newWebhookSecret();
  return withTenant(options.db, customerId, async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        customerId,
        url: options.url,
        description: options.description ?? null,
        events: options.events,
        enabled: options.enabled,
        secret,
        createdBy: options.actor,
      },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'webhook.created',
        target: `webhook:${endpoint.id}`,
        details: { url: endpoint.url, events: endpoint.events },
      },
    });
    return { webhook: toWebhookView(endpoint), secret };
  });
}

export async function updateWebhook(
  options: TenantCommand & {
    webhookId: string;
    url?: string;
    description?: string | null;
    events?: NotificationEventType[];
    enabled?: boolean;
    destinations: WebhookDestinationPolicy;
  },
): Promise<WebhookEndpointView> {
  const { customerId, webhookId } = options;
  if (options.url !== undefined) await assertWebhookDestination(options.url, options.destinations);
  return withTenant(options.db, customerId, async (tx) => {
    const found = await tx.webhookEndpoint.findUnique({ where: { customerId_id: { customerId, id: webhookId } } });
    if (!found) throw new AppError('NOT_FOUND', `Webhook ${webhookId} not found`);
    const endpoint = await tx.webhookEndpoint.update({
      where: { customerId_id: { customerId, id: webhookId } },
      data: {
        ...(options.url === undefined ? {} : { url: options.url }),
        ...(options.description === undefined ? {} : { description: options.description }),
        ...(options.events === undefined ? {} : { events: options.events }),
        ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
      },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'webhook.updated',
        target: `webhook:${webhookId}`,
        details: { url: endpoint.url, events: endpoint.events, enabled: endpoint.enabled },
      },
    });
    return toWebhookView(endpoint);
  });
}

/** Deletes an endpoint (audited); its deliveries stay in the log, and pending ones fail. */
export async function deleteWebhook(options: TenantCommand & { webhookId: string }): Promise<void> {
  const { customerId, webhookId } = options;
  await withTenant(options.db, customerId, async (tx) => {
    const deleted = await tx.webhookEndpoint.deleteMany({ where: { customerId, id: webhookId } });
    if (deleted.count === 0) throw new AppError('NOT_FOUND', `Webhook ${webhookId} not found`);
    await tx.auditLog.create({ data: { customerId, actor: options.actor, action: 'webhook.deleted', target: `webhook:${webhookId}` } });
  });
}

/**
 * A new signing secret (audited). The old one keeps signing beside it for `graceSeconds`, so a
 * receiver that still has the old secret accepts deliveries while it is updated.
 */
export async function rotateWebhookSecret(
  options: TenantCommand & { webhookId: string; graceSeconds: number },
): Promise<{ webhook: WebhookEndpointView; secret: string }> {
  const { customerId, webhookId } = options;
  const secret = newWebhookSecret();
  return withTenant(options.db, customerId, async (tx) => {
    const found = await tx.webhookEndpoint.findUnique({ where: { customerId_id: { customerId, id: webhookId } } });
    if (!found) throw new AppError('NOT_FOUND', `Webhook ${webhookId} not found`);
    const graceEnds = options.graceSeconds > 0 ? new Date(Date.now() + options.graceSeconds * 1000) : null;
    const endpoint = await tx.webhookEndpoint.update({
      where: { customerId_id: { customerId, id: webhookId } },
      data: { secret, previousSecret: graceEnds ? found.secret : null, previousSecretExpiresAt: graceEnds },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'webhook.secret_rotated',
        target: `webhook:${webhookId}`,
        details: { grace_seconds: options.graceSeconds },
      },
    });
    return { webhook: toWebhookView(endpoint), secret };
  });
}
