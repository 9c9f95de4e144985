import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { maskPhone } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { classifyTwilioError, resolveTwilioAccount } from '@neurosphere/twilio';
import type { TwilioAccount } from '@neurosphere/twilio';
import type { Keyring } from '@neurosphere/db';
import { recordOptOut } from '../opt-outs/find-opt-out';
import type { TwilioSender } from '../twilio/twilio-sender';
import { markFailed } from './send-store';
import type { SendStore } from './send-store';
import { countSmsSegments } from './sms-segments';

/** How this process reaches Twilio: the SDK sender, the platform account, and the BYOK keyring. */
export interface TwilioConnection {
  sender: TwilioSender;
  /** TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN; null when not configured (platform numbers cannot send). */
  platformAccount: TwilioAccount | null;
  /** BYOK_KEYS: decrypts the credentials of tenants' sub-accounts and own accounts; undefined when not configured. */
  byokKeyring: Keyring | undefined;
}

export interface SendQueuedMessageDeps {
  db: Db;
  /** Claims and records (batched per tenant); see send-store.ts. */
  store: SendStore;
  logger: Logger;
  twilio: TwilioConnection;
  /** `<PUBLIC_BASE_URL>/sms/status` (the gateway forwards it to /v1/status-callbacks); none when unset. */
  statusCallbackUrl?: string;
}

export interface SendQueuedMessageOptions {
  customerId: number;
  messageId: string;
  /** The job has no retry left: a transient failure is then recorded as final. */
  isLastAttempt: boolean;
}

export type SendQueuedMessageResult =
  | { outcome: 'sent'; twilioSid: string }
  /** Nothing to do: already handed to Twilio, already final, or not an outbound message of this tenant. */
  | { outcome: 'skipped' }
  /** Recorded as failed; not worth retrying. */
  | { outcome: 'failed'; code: string; message: string };

/** A failure worth retrying (Twilio 429/5xx, network); already recorded on the message. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Twilio error 21610: the recipient replied STOP on Twilio's side; keep our opt-out list in step. */
const TWILIO_UNSUBSCRIBED = '21610';

/**
 * Hands one recorded outbound message to Twilio (the send job's work).
 *
 * Double-send guard: the first transaction claims the message (queued/sending, no twilio_sid →
 * sending) and re-checks opt-out, number and tenant; only a claimed message is sent; Twilio's SID
 * is then recorded, after which no retry or duplicate job will send it again. No transaction is
 * open while Twilio is called.
 *
 * The one unavoidable window: Twilio accepted the message but we never learn it (the process dies
 * or the network drops Twilio's answer / our database write after the request went out). The
 * message is still `sending` without a SID, so the retry sends it again. Twilio's Messages API has
 * no idempotency key to close this; recording the SID is retried in-process to keep it small.
 * Claims and records are batched per tenant (send-store.ts); the rare failure paths are not.
 */
export async function sendQueuedMessage(deps: SendQueuedMessageDeps, options: SendQueuedMessageOptions): Promise<SendQueuedMessageResult> {
  const { db } = deps;
  const { customerId, messageId } = options;
  const log = deps.logger.child({ customer_id: customerId, messageId });

  const claim = await deps.store.claim({ customerId, messageId });
  if (claim.kind === 'skip') return { outcome: 'skipped' };
  if (claim.kind === 'refused') {
    log.info({ code: claim.code }, 'sms not sent');
    return { outcome: 'failed', code: claim.code, message: claim.message };
  }

  const { message } = claim;
  const resolved = resolveTwilioAccount({
    customerId,
    accountKind: claim.accountKind,
    credential: claim.credential,
    platformAccount: deps.twilio.platformAccount,
    keyring: deps.twilio.byokKeyring,
    where: 'sms service',
  });
  if (!resolved.ok) {
    await withTenant(db, customerId, (tx) => markFailed(tx, { customerId, messageId, code: resolved.code, message: resolved.message }));
    log.warn({ code: resolved.code, counter: 'sms_send_failed_total' }, 'sms not sent: Twilio account unusable');
    return { outcome: 'failed', code: resolved.code, message: resolved.message };
  }

  let twilioSid: string;
  let segments: number;
  try {
    let numSegments: number | null;
    ({ sid: twilioSid, numSegments } = await deps.twilio.sender.send(resolved.account, {
      from: message.fromNumber,
      to: message.toNumber,
      body: message.body,
      ...(deps.statusCallbackUrl ? { statusCallback: deps.statusCallbackUrl } : {}),
    }));
    segments = numSegments ?? countSmsSegments(message.body);
  } catch (error) {
    const failure = classifyTwilioError(error);
    if (failure.retryable && !options.isLastAttempt) {
      // Stays `sending` without a SID (so the retry may send it); the last error is visible in the log API.
      await withTenant(db, customerId, (tx) =>
        tx.smsMessage.updateMany({
          where: { customerId, id: messageId, twilioSid: null, status: 'sending' },
          data: { errorCode: failure.code, errorMessage: failure.message },
        }),
      );
      throw new TransientSendError(failure.code, `Twilio send failed (${failure.code}), will retry: ${failure.message}`);
    }
    await withTenant(db, customerId, async (tx) => {
      await markFailed(tx, { customerId, messageId, code: failure.code, message: failure.message });
      if (failure.code === TWILIO_UNSUBSCRIBED) {
        await recordOptOut(tx, { customerId, phone: message.toNumber, keyword: `TWILIO_${TWILIO_UNSUBSCRIBED}` });
      }
    });
    log.warn(
      { code: failure.code, retryable: failure.retryable, to: maskPhone(message.toNumber), counter: 'sms_send_failed_total' },
      'sms send failed',
    );
    return { outcome: 'failed', code: failure.code, message: failure.message };
  }

  await deps.store.recordSent({ customerId, messageId, twilioSid, segments });
  log.info({ twilioSid, to: maskPhone(message.toNumber) }, 'sms handed to Twilio');
  return { outcome: 'sent', twilioSid };
}
