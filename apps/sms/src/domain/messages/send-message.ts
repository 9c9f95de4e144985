import { isUniqueViolation, withTenant } from '@neurosphere/db';
import type { Db, SmsMessage, TenantTx } from '@neurosphere/db';
import { AppError, maskPhone } from '@neurosphere/http';
import type { Logger, RedisClient } from '@neurosphere/http';
import type { SendQueue } from '../../jobs/send-message-job';
import { isOptedOut } from '../opt-outs/find-opt-out';
import { consumeSendQuota } from '../rate-limit/consume-send-quota';
import { renderTenantTemplate } from '../templates/render-tenant-template';

export interface SendMessageDeps {
  db: Db;
  redis: RedisClient;
  sendQueue: SendQueue;
  logger: Logger;
  /** Namespace of the rate-limit keys in Redis. */
  rateLimitKeyPrefix: string;
}

export interface SendMessageOptions {
  customerId: number;
  /** Recipient, E.164. */
  to: string;
  /** Literal text; exactly one of body and templateName. */
  body?: string;
  templateName?: string;
  /** Values for the template's placeholders (win over the caller profile). */
  variables?: Readonly<Record<string, string>>;
  /** Same key, same tenant → the first message is returned and nothing is sent again. */
  idempotencyKey?: string;
  /** The call this text belongs to, for the logs. */
  callSid?: string;
}

export type SendMessageResult =
  | { outcome: 'queued'; message: SmsMessage }
  /** The idempotency key was seen before: the first message, whatever its state. */
  | { outcome: 'duplicate'; message: SmsMessage }
  /** Refused and recorded (status failed, error_code RECIPIENT_OPTED_OUT). */
  | { outcome: 'opted_out'; message: SmsMessage }
  | { outcome: 'rate_limited'; limitPerMinute: number; retryAfterSeconds: number };

export const OPTED_OUT_CODE = 'RECIPIENT_OPTED_OUT';

type Plan =
  | { kind: 'existing'; message: SmsMessage }
  | { kind: 'opted_out'; message: SmsMessage }
  | { kind: 'new'; fromNumber: string; body: string; limitPerMinute: number };

type Recorded =
  | Exclude<Plan, { kind: 'new' }>
  | { kind: 'rate_limited'; limitPerMinute: number; retryAfterSeconds: number }
  | { kind: 'created'; message: SmsMessage };

/**
 * Records an outbound text and queues its send (the work behind POST /v1/messages).
 *
 * Order, in one withTenant transaction: an idempotent replay answers first (no rate limit, no new
 * row); then the tenant, its sending number and the template are checked (4xx, nothing written);
 * an opted-out recipient is recorded as a refused message; then the per-minute quota is taken and
 * the message inserted as `queued`. After commit its job is enqueued; if that fails the row is
 * removed again, so a retry with the same idempotency key starts clean.
 */
export async function sendMessage(deps: SendMessageDeps, options: SendMessageOptions): Promise<SendMessageResult> {
  const { db } = deps;
  const { customerId } = options;
  const log = deps.logger.child({ customer_id: customerId, ...(options.callSid ? { callSid: options.callSid } : {}) });

  let recorded: Recorded;
  try {
    // One transaction: checks, quota and insert. The quota call is one Redis round trip (no
    // provider is called while the transaction is open).
    recorded = await withTenant(db, customerId, async (tx): Promise<Recorded> => {
      const plan = await planSend(tx, options);
      if (plan.kind !== 'new') return plan;
      const quota = await consumeSendQuota(deps.redis, {
        customerId,
        limitPerMinute: plan.limitPerMinute,
        keyPrefix: deps.rateLimitKeyPrefix,
      });
      if (!quota.allowed) return { kind: 'rate_limited', limitPerMinute: plan.limitPerMinute, retryAfterSeconds: quota.retryAfterSeconds };
      const message = await tx.smsMessage.create({
        data: {
          customerId,
          direction: 'outbound',
          fromNumber: plan.fromNumber,
          toNumber: options.to,
          body: plan.body,
          status: 'queued',
          idempotencyKey: options.idempotencyKey ?? null,
          templateName: options.templateName ?? null,
        },
      });
      return { kind: 'created', message };
    });
  } catch (error) {
    return replayAfterRace(deps, options, error);
  }
  if (recorded.kind === 'existing') return answerReplay(deps, options, recorded.message);
  if (recorded.kind === 'opted_out') {
    log.info({ to: maskPhone(options.to), code: OPTED_OUT_CODE }, 'sms refused: recipient opted out');
    return { outcome: 'opted_out', message: recorded.message };
  }
  if (recorded.kind === 'rate_limited') {
    log.info({ limitPerMinute: recorded.limitPerMinute }, 'sms refused: tenant rate limit');
    return { outcome: 'rate_limited', limitPerMinute: recorded.limitPerMinute, retryAfterSeconds: recorded.retryAfterSeconds };
  }

  const { message } = recorded;
  try {
    await deps.sendQueue.enqueue({ customerId, messageId: message.id });
  } catch (error) {
    log.error({ err: error, messageId: message.id }, 'sms send queue unavailable');
    await withTenant(db, customerId, (tx) => tx.smsMessage.deleteMany({ where: { customerId, id: message.id, status: 'queued' } })).catch(
      (cleanupError: unknown) => log.error({ err: cleanupError, messageId: message.id }, 'could not remove the unqueued message'),
    );
    throw new AppError('UNAVAILABLE', 'The send queue is unavailable; the text was not sent. Retry later', { cause: error });
  }
  log.info({ messageId: message.id, to: maskPhone(options.to), template: options.templateName ?? null }, 'sms queued');
  return { outcome: 'queued', message };
}

async function planSend(tx: TenantTx, options: SendMessageOptions): Promise<Plan> {
  const { customerId } = options;
  if (options.idempotencyKey) {
    const existing = await findByIdempotencyKey(tx, customerId, options.idempotencyKey);
    if (existing) return { kind: 'existing', message: existing };
  }
  const customer = await tx.customer.findUnique({
    where: { id: customerId },
    select: { status: true, businessName: true, agentName: true, smsRateLimitPerMinute: true },
  });
  // RLS shows a tenant only its own row: no row means the token names a tenant that does not exist.
  if (!customer) throw new AppError('FORBIDDEN', 'The tenant of this service token does not exist');
  if (customer.status !== 'active') throw new AppError('FORBIDDEN', 'This business is suspended; texts are not sent');

  const fromNumber = await pickSendingNumber(tx, customerId);
  const body = options.templateName
    ? await renderTenantTemplate(tx, {
        customerId,
        templateName: options.templateName,
        callerPhone: options.to,
        variables: options.variables ?? {},
        tenant: customer,
      })
    : (options.body ?? '');

  if (await isOptedOut(tx, { customerId, phone: options.to })) {
    const message = await tx.smsMessage.create({
      data: {
        customerId,
        direction: 'outbound',
        fromNumber,
        toNumber: options.to,
        body,
        status: 'failed',
        errorCode: OPTED_OUT_CODE,
        errorMessage: 'The recipient opted out of texts from this business (replied STOP)',
        failedAt: new Date(),
        idempotencyKey: options.idempotencyKey ?? null,
        templateName: options.templateName ?? null,
      },
    });
    return { kind: 'opted_out', message };
  }
  return { kind: 'new', fromNumber, body, limitPerMinute: customer.smsRateLimitPerMinute };
}

/**
 * The tenant's number texts go out from: a number dedicated to SMS first, else one for voice and
 * SMS; the oldest of those, so the choice is stable.
 */
async function pickSendingNumber(tx: TenantTx, customerId: number): Promise<string> {
  const numbers = await tx.phoneNumber.findMany({
    where: { customerId, purpose: { in: ['sms', 'voice_and_sms'] } },
    select: { e164: true, purpose: true },
    orderBy: [{ createdAt: 'asc' }, { e164: 'asc' }],
  });
  const chosen = numbers.find((number) => number.purpose === 'sms') ?? numbers[0];
  if (!chosen) {
    throw new AppError('UNPROCESSABLE', 'This business has no phone number that can send texts (purpose sms or voice_and_sms)');
  }
  return chosen.e164;
}

/** Same key, same request → the first message; same key, different request → 409. */
async function answerReplay(deps: SendMessageDeps, options: SendMessageOptions, existing: SmsMessage): Promise<SendMessageResult> {
  const sameRequest =
    existing.direction === 'outbound' &&
    existing.toNumber === options.to &&
    (options.templateName
      ? existing.templateName === options.templateName
      : existing.templateName === null && existing.body === options.body);
  if (!sameRequest) {
    throw new AppError('CONFLICT', 'This idempotency_key was already used for a different message', {
      details: [{ path: 'idempotency_key', message: 'already used with another recipient, body or template' }],
    });
  }
  if (existing.errorCode === OPTED_OUT_CODE) return { outcome: 'opted_out', message: existing };
  // A message still queued may have lost its job (e.g. the first request's enqueue and cleanup
  // both failed): enqueueing again is harmless, the job id makes it a no-op otherwise.
  if (existing.status === 'queued' && existing.twilioSid === null) {
    await deps.sendQueue.enqueue({ customerId: options.customerId, messageId: existing.id });
  }
  return { outcome: 'duplicate', message: existing };
}

/** A concurrent request with the same idempotency key won the insert: answer with its message. */
async function replayAfterRace(deps: SendMessageDeps, options: SendMessageOptions, error: unknown): Promise<SendMessageResult> {
  const { idempotencyKey, customerId } = options;
  if (!idempotencyKey || !isUniqueViolation(error)) throw error;
  const existing = await withTenant(deps.db, customerId, (tx) => findByIdempotencyKey(tx, customerId, idempotencyKey));
  if (!existing) throw error;
  return answerReplay(deps, options, existing);
}

function findByIdempotencyKey(tx: TenantTx, customerId: number, idempotencyKey: string): Promise<SmsMessage | null> {
  return tx.smsMessage.findUnique({ where: { customerId_idempotencyKey: { customerId, idempotencyKey } } });
}
