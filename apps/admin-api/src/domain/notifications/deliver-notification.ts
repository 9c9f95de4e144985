import { WEBHOOK_DELIVERY_HEADER, WEBHOOK_EVENT_HEADER, WEBHOOK_SIGNATURE_HEADER } from '@neurosphere/contracts';
import type { WebhookEnvelope } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, NotificationDelivery, WebhookEndpoint } from '@neurosphere/db';
import { UpstreamError } from '@neurosphere/http';
import type { Mailer } from '@neurosphere/mail';
import type { StaffSms } from '../../clients/sms-client';
import { buildEventPayload } from './build-event-payload';
import { signWebhook } from './sign-webhook';
import { staffNotificationText } from './staff-notification-text';
import { webhookDestinationProblem } from './webhook-destination';
import type { WebhookDestinationPolicy } from './webhook-destination';

/** What sending needs: the channels, and where staff links point. */
export interface NotificationChannels {
  db: Db;
  mailer: Mailer;
  /** null when no sms service is configured (SMS_URL): SMS deliveries then fail, visibly. */
  sms: StaffSms | null;
  /** The web console (links in staff texts and mails). */
  consoleUrl: string;
  /** How long a webhook receiver may take to answer. */
  webhookTimeoutMs: number;
  /** Where webhooks may go; checked again before each delivery, as DNS can change. */
  webhookDestinations: WebhookDestinationPolicy;
}

export interface DeliverNotificationOptions extends NotificationChannels {
  customerId: number;
  deliveryId: string;
  /** The delivery's replay count this job was made for: a job of an older replay does nothing. */
  replay: number;
  /** No retry follows this attempt: a failure is final. */
  isLastAttempt: boolean;
}

/** A failure that retrying cannot fix (the receiver or recipient refused for good, or nothing is left to send). */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** A transient failure (the job retries with backoff). */
export class DeliveryAttemptError extends Error {
  override readonly name = 'DeliveryAttemptError';
  constructor(
    message: string,
    readonly responseStatus: number | null = null,
  ) {
    super(message);
  }
}

type Plan =
  | { kind: 'skip' }
  | { kind: 'gone'; reason: string }
  | { kind: 'send'; delivery: NotificationDelivery; envelope: WebhookEnvelope; endpoint: WebhookEndpoint | null };

/**
 * One attempt at one delivery: re-reads the delivery, its event and (for a webhook) its endpoint,
 * builds the documented body, sends it and records the outcome in the delivery log. A delivery
 * that is already done, or was replayed since this job was queued, is left alone (jobs can run
 * twice). Throws after recording a failure, so the job retries; PermanentDeliveryError when a
 * retry cannot help.
 */
export async function deliverNotification(options: DeliverNotificationOptions): Promise<'succeeded' | 'skipped'> {
  const { db, customerId, deliveryId } = options;
  const plan = await withTenant(db, customerId, async (tx): Promise<Plan | null> => {
    const delivery = await tx.notificationDelivery.findUnique({ where: { customerId_id: { customerId, id: deliveryId } } });
    // Not visible yet: the dispatcher and a replay queue the job just before their transaction
    // commits, so the job can see no row, or the row as it was before the replay.
    if (!delivery || delivery.replays < options.replay) return null;
    if (delivery.replays > options.replay || delivery.status !== 'pending') return { kind: 'skip' };
    const event = await tx.notificationEvent.findUnique({ where: { customerId_id: { customerId, id: delivery.eventId } } });
    const payload = event && (await buildEventPayload(tx, event));
    if (!payload) return { kind: 'gone', reason: 'what the event is about no longer exists' };
    if (delivery.channel !== 'webhook') return { kind: 'send', delivery, envelope: payload.envelope, endpoint: null };
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { customerId_id: { customerId, id: delivery.sourceId } } });
    if (!endpoint) return { kind: 'gone', reason: 'the webhook endpoint was deleted' };
    if (!endpoint.enabled) return { kind: 'gone', reason: 'the webhook endpoint is disabled' };
    return { kind: 'send', delivery, envelope: payload.envelope, endpoint };
  });
  if (plan === null) throw new DeliveryAttemptError(`delivery ${deliveryId} is not visible yet`);
  if (plan.kind === 'skip') return 'skipped';
  if (plan.kind === 'gone') {
    await record(options, { ok: false, final: true, error: plan.reason, responseStatus: null });
    throw new PermanentDeliveryError(plan.reason);
  }

  try {
    const responseStatus = await send(options, plan);
    await record(options, { ok: true, responseStatus });
    return 'succeeded';
  } catch (error) {
    const permanent = error instanceof PermanentDeliveryError;
    const responseStatus = error instanceof DeliveryAttemptError ? error.responseStatus : null;
    const message = error instanceof Error ? error.message : String(error);
    await record(options, { ok: false, final: permanent || options.isLastAttempt, error: message, responseStatus });
    throw error;
  }
}

async function send(options: DeliverNotificationOptions, plan: Extract<Plan, { kind: 'send' }>): Promise<number | null> {
  const { delivery, envelope, endpoint } = plan;
  if (endpoint) return sendWebhook(options, delivery, envelope, endpoint);
  const { subject, text } = staffNotificationText(envelope, options.consoleUrl);
  if (delivery.channel === 'email') {
    const result = await options.mailer.send({ kind: `notification_${envelope.type}`, to: delivery.target, subject, text });
    if (!result.sent) throw new DeliveryAttemptError(`mail not sent (${result.reason})`);
    return null;
  }
  if (!options.sms) throw new PermanentDeliveryError('no sms service is configured (SMS_URL)');
  try {
    await options.sms.send({
      customerId: options.customerId,
      to: delivery.target,
      body: text.slice(0, 1600),
      idempotencyKey: `notification:${delivery.id}:${delivery.replays}`,
    });
  } catch (error) {
    // The sms service refused the text itself (opted-out number, bad template): sending it again changes nothing.
    if (error instanceof UpstreamError && error.status !== undefined && [400, 403, 422].includes(error.status))
      throw new PermanentDeliveryError(error.message);
    throw error;
  }
  return null;
}

async function sendWebhook(
  options: DeliverNotificationOptions,
  delivery: NotificationDelivery,
  envelope: WebhookEnvelope,
  endpoint: WebhookEndpoint,
): Promise<number> {
  const now = new Date();
  const body = JSON.stringify(envelope);
  const problem = await webhookDestinationProblem(endpoint.url, options.webhookDestinations);
  if (problem) throw new PermanentDeliveryError(`not sent: ${problem}`);
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now)
    secrets.push(endpoint.previousSecret);
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'NeuroSphere-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhook({ body, secrets, now }),
        [WEBHOOK_EVENT_HEADER]: envelope.type,
        [WEBHOOK_DELIVERY_HEADER]: delivery.id,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.webhookTimeoutMs),
    });
    await response.body?.cancel();
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new DeliveryAttemptError(
      timedOut
        ? `no answer within ${options.webhookTimeoutMs} ms`
        : `could not reach the endpoint (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (response.status < 200 || response.status >= 300)
    throw new DeliveryAttemptError(`the endpoint answered HTTP ${response.status}`, response.status);
  return response.status;
}

type Outcome = { ok: true; responseStatus: number | null } | { ok: false; final: boolean; error: string; responseStatus: number | null };

/** Writes one attempt into the delivery log (only while the delivery is still this job's). */
async function record(options: DeliverNotificationOptions, outcome: Outcome): Promise<void> {
  const { customerId, deliveryId } = options;
  const done = outcome.ok || outcome.final;
  await withTenant(options.db, customerId, (tx) =>
    tx.notificationDelivery.updateMany({
      where: { customerId, id: deliveryId, replays: options.replay, status: 'pending' },
      data: {
        attempts: { increment: 1 },
        responseStatus: outcome.responseStatus,
        lastError: outcome.ok ? null : outcome.error.slice(0, 1000),
        ...(done ? { status: outcome.ok ? 'succeeded' : 'failed', completedAt: new Date() } : {}),
      },
    }),
  );
}
