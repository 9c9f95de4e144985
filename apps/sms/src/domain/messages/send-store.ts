import { withTenant } from '@neurosphere/db';
import type { CredentialProvider, Db, TenantCredential, TenantTx, TwilioAccountKind } from '@neurosphere/db';
import { twilioCredentialProvider } from '@neurosphere/twilio';
import { createMicroBatcher } from '../../lib/micro-batcher';

/** What the send job may do with a message, decided when it claims it. */
export type Claim =
  /** Not queued/sending without a SID (already sent or final), or not an outbound message of this tenant. */
  | { kind: 'skip' }
  /** Claimed, but it may no longer go out; already recorded as failed with `code`. */
  | { kind: 'refused'; code: string; message: string }
  | {
      kind: 'send';
      message: { fromNumber: string; toNumber: string; body: string };
      accountKind: TwilioAccountKind;
      /** The credentials of the tenant's account the number lives in (sub-account or BYOK); null for platform numbers. */
      credential: TenantCredential | null;
    };

/** The send job's two writes on the hot path, batched per tenant (see createSendStore). */
export interface SendStore {
  /** Claims a message for sending (queued/sending without a SID → sending, attempts + 1). */
  claim(options: { customerId: number; messageId: string }): Promise<Claim>;
  /**
   * Records Twilio's acceptance (SID, `sent`) and meters its segments (usage kind
   * sms_segments_out, once per message); a message that already has a SID is left alone.
   */
  recordSent(options: { customerId: number; messageId: string; twilioSid: string; segments: number }): Promise<void>;
}

export interface SendStoreOptions {
  /** Most messages one claim or record transaction handles. */
  maxBatch?: number;
}

/**
 * The send job's claim and record steps. At full send rate many jobs of the same tenant claim and
 * record at the same moment; each step is a withTenant transaction (BEGIN, set_config, work,
 * COMMIT), so they are group-committed per tenant (while one claim transaction of a tenant runs,
 * the next claims gather and then run as one transaction with one statement for all). A lone call
 * waits for nothing. Each message is claimed and recorded as it would be alone.
 */
export function createSendStore(db: Db, options: SendStoreOptions = {}): SendStore {
  const maxSize = options.maxBatch ?? 100;
  const claimBatch = createMicroBatcher<string, Claim>({
    maxSize,
    run: (key, messageIds) => withTenant(db, Number(key), (tx) => claimMessages(tx, Number(key), messageIds)),
  });
  const recordBatch = createMicroBatcher<{ messageId: string; twilioSid: string; segments: number }, void>({
    maxSize,
    run: async (key, sent) => {
      await recordSentMessages(db, Number(key), sent);
      return sent.map(() => undefined);
    },
  });
  return {
    claim: ({ customerId, messageId }) => claimBatch(String(customerId), messageId),
    recordSent: ({ customerId, messageId, twilioSid, segments }) => recordBatch(String(customerId), { messageId, twilioSid, segments }),
  };
}

interface ClaimRow {
  id: string;
  from_number: string;
  to_number: string;
  body: string;
  customer_status: string | null;
  opted_out: boolean;
  twilio_account: TwilioAccountKind | null;
}

/**
 * Claims messages and reads what decides whether each may still go out, in one statement: the
 * claim UPDATE admits only queued/sending messages without a twilio_sid; the sub-selects re-check,
 * at send time, the recipient's opt-out, the tenant's status and that the From number is still the
 * tenant's SMS number (and which Twilio account it uses). RLS applies (withTenant set the tenant).
 */
async function claimMessages(tx: TenantTx, customerId: number, messageIds: string[]): Promise<Claim[]> {
  const rows = await tx.$queryRaw<ClaimRow[]>`
    WITH claimed AS (
      UPDATE sms_messages
         SET status = 'sending', attempts = attempts + 1, updated_at = now()
       WHERE customer_id = ${customerId} AND id = ANY(${messageIds}::uuid[]) AND direction = 'outbound'
         AND status IN ('queued', 'sending') AND twilio_sid IS NULL
      RETURNING id, from_number, to_number, body
    )
    SELECT claimed.id::text AS id, claimed.from_number, claimed.to_number, claimed.body,
           (SELECT c.status::text FROM customers c WHERE c.id = ${customerId}) AS customer_status,
           EXISTS (SELECT 1 FROM sms_opt_outs o WHERE o.customer_id = ${customerId} AND o.phone = claimed.to_number) AS opted_out,
           (SELECT p.twilio_account::text FROM phone_numbers p
             WHERE p.customer_id = ${customerId} AND p.e164 = claimed.from_number AND p.purpose IN ('sms', 'voice_and_sms')) AS twilio_account
      FROM claimed`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  // The credentials of the accounts these messages' numbers live in (a sub-account, the tenant's own).
  const providers = [...new Set(rows.flatMap((row) => (row.twilio_account ? [twilioCredentialProvider(row.twilio_account)] : [])))].filter(
    (provider): provider is CredentialProvider => provider !== null,
  );
  const credentials =
    providers.length > 0 ? await tx.tenantCredential.findMany({ where: { customerId, provider: { in: providers } } }) : [];
  const credentialFor = (kind: TwilioAccountKind) =>
    credentials.find((credential) => credential.provider === twilioCredentialProvider(kind)) ?? null;

  const claims: Claim[] = [];
  for (const messageId of messageIds) {
    const row = byId.get(messageId);
    // Each claimed row is handed out once, even if the same id was asked for twice.
    byId.delete(messageId);
    if (!row) {
      claims.push({ kind: 'skip' });
      continue;
    }
    const refusal = refusalOf(row);
    if (refusal) {
      await markFailed(tx, { customerId, messageId, ...refusal });
      claims.push({ kind: 'refused', ...refusal });
      continue;
    }
    claims.push({
      kind: 'send',
      message: { fromNumber: row.from_number, toNumber: row.to_number, body: row.body },
      accountKind: row.twilio_account!,
      credential: credentialFor(row.twilio_account!),
    });
  }
  return claims;
}

/** The world may have changed since the message was queued. */
function refusalOf(row: ClaimRow): { code: string; message: string } | null {
  if (row.opted_out)
    return { code: 'RECIPIENT_OPTED_OUT', message: 'The recipient opted out of texts from this business before the message was sent' };
  if (row.customer_status !== 'active') return { code: 'TENANT_SUSPENDED', message: 'The business is suspended; texts are not sent' };
  if (!row.twilio_account)
    return { code: 'NUMBER_NOT_AVAILABLE', message: `${row.from_number} is no longer an SMS number of this business` };
  return null;
}

/** Records a claimed message as failed (never one Twilio accepted). */
export async function markFailed(
  tx: TenantTx,
  options: { customerId: number; messageId: string; code: string; message: string },
): Promise<void> {
  await tx.smsMessage.updateMany({
    where: { customerId: options.customerId, id: options.messageId, twilioSid: null, status: { in: ['queued', 'sending'] } },
    data: { status: 'failed', errorCode: options.code, errorMessage: options.message.slice(0, 1000), failedAt: new Date() },
  });
}

/**
 * Records Twilio's acceptance and meters the segments Twilio will bill (idempotent per message:
 * `sms-out:<message id>`). Retried a few times in-process: until it lands, a job retry would send
 * the message a second time.
 */
async function recordSentMessages(
  db: Db,
  customerId: number,
  sent: Array<{ messageId: string; twilioSid: string; segments: number }>,
): Promise<void> {
  const ids = sent.map((entry) => entry.messageId);
  const sids = sent.map((entry) => entry.twilioSid);
  const segments = sent.map((entry) => entry.segments);
  for (let attempt = 1; ; attempt++) {
    try {
      await withTenant(db, customerId, async (tx) => {
        await tx.$executeRaw`
          UPDATE sms_messages AS m
             SET twilio_sid = v.sid, status = 'sent', sent_at = now(), error_code = NULL, error_message = NULL, updated_at = now()
            FROM unnest(${ids}::uuid[], ${sids}::text[]) AS v(id, sid)
           WHERE m.customer_id = ${customerId} AND m.id = v.id AND m.twilio_sid IS NULL`;
        await tx.$executeRaw`
          INSERT INTO usage_records (customer_id, kind, quantity, idempotency_key)
          SELECT ${customerId}, 'sms_segments_out', v.segments, 'sms-out:' || v.id::text
            FROM unnest(${ids}::uuid[], ${segments}::int[]) AS v(id, segments)
              ON CONFLICT (customer_id, idempotency_key) DO NOTHING`;
      });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
