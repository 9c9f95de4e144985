import { decryptCredentialSecret, SecretBoxError, withTenant } from '@neurosphere/db';
import type { Db, Keyring, TenantTx } from '@neurosphere/db';
import { AppError, maskPhone } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { clearOptOut, isOptedOut, recordOptOut } from '../opt-outs/find-opt-out';
import { composeAiReply } from './compose-ai-reply';
import type { AiReplyDeps, ComposeAiReplyOptions } from './compose-ai-reply';
import { countSmsSegments } from '../messages/sms-segments';
import { parseKeyword } from './parse-keyword';

export interface ReceiveInboundMessageDeps {
  db: Db;
  logger: Logger;
  ai: AiReplyDeps;
  /** BYOK_KEYS: decrypts a tenant's own OpenAI key for AI replies; undefined: the platform's key only. */
  byokKeyring: Keyring | undefined;
}

export interface ReceiveInboundMessageOptions {
  customerId: number;
  /** Twilio's MessageSid: a webhook Twilio delivers twice is stored once. */
  messageSid: string;
  /** The texter. */
  from: string;
  /** The tenant's number the text was sent to. */
  to: string;
  body: string;
}

/** Neutral platform wording for HELP when the tenant configured no help_text. */
export const DEFAULT_HELP_REPLY = 'Reply STOP to stop receiving messages from this number, or START to receive them again.';

/** How many earlier texts of the conversation the AI reply sees. */
const AI_HISTORY_MESSAGES = 10;

/**
 * Stores an inbound text for the tenant and works out the reply (the gateway texts it back as
 * TwiML). STOP/STOPALL/UNSUBSCRIBE/CANCEL/END/QUIT opt the sender out of this tenant's texts only;
 * START/UNSTOP opt back in; HELP answers with the tenant's help_text. Those confirmations of STOP
 * and START are Twilio's standard opt-out replies, so no reply is returned for them. Any other
 * text gets an AI reply when the tenant enabled it (never to an opted-out sender).
 */
export async function receiveInboundMessage(
  deps: ReceiveInboundMessageDeps,
  options: ReceiveInboundMessageOptions,
): Promise<{ reply: string | null }> {
  const { db } = deps;
  const { customerId, from, to } = options;
  const keyword = parseKeyword(options.body);

  const outcome = await withTenant(db, customerId, async (tx) => {
    const number = await tx.phoneNumber.findFirst({ where: { customerId, e164: to }, select: { id: true } });
    if (!number) {
      throw new AppError('FORBIDDEN', 'The "to" number is not a number of the tenant of this service token', {
        details: [{ path: 'to', message: 'not a number of this tenant' }],
      });
    }
    const now = new Date();
    const { count } = await tx.smsMessage.createMany({
      data: [
        {
          customerId,
          direction: 'inbound',
          fromNumber: from,
          toNumber: to,
          body: options.body,
          status: 'received',
          twilioSid: options.messageSid,
          receivedAt: now,
        },
      ],
      skipDuplicates: true,
    });
    const duplicate = count === 0;
    // Inbound segments are metered once per Twilio message (the webhook may come twice).
    if (!duplicate)
      await meterSegments(tx, { customerId, kind: 'sms_segments_in', body: options.body, key: `sms-in:${options.messageSid}` });

    if (keyword?.kind === 'opt_out') await recordOptOut(tx, { customerId, phone: from, keyword: keyword.word });
    if (keyword?.kind === 'opt_in') await clearOptOut(tx, { customerId, phone: from });

    const customer = await tx.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: {
        status: true,
        helpText: true,
        smsAiReplyEnabled: true,
        businessName: true,
        agentName: true,
        personality: true,
        openaiModel: true,
      },
    });
    if (keyword?.kind === 'help') return { duplicate, reply: customer.helpText?.trim() || DEFAULT_HELP_REPLY, ai: null };
    if (keyword || duplicate || !customer.smsAiReplyEnabled || customer.status !== 'active') return { duplicate, reply: null, ai: null };
    if (await isOptedOut(tx, { customerId, phone: from })) return { duplicate, reply: null, ai: null };

    const history = await tx.smsMessage.findMany({
      where: {
        customerId,
        OR: [
          { fromNumber: from, toNumber: to },
          { fromNumber: to, toNumber: from },
        ],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: AI_HISTORY_MESSAGES,
      select: { direction: true, body: true },
    });
    const tenantOpenAiKey = await readTenantOpenAiKey(tx, deps, customerId);
    // A tenant whose own key cannot be used gets no AI reply rather than one billed to the platform.
    if (tenantOpenAiKey === 'unusable') return { duplicate, reply: null, ai: null };
    const ai: Omit<ComposeAiReplyOptions, 'customerId' | 'callerPhone'> = {
      tenant: customer,
      conversation: history.reverse(),
      tenantOpenAiKey,
    };
    return { duplicate, reply: null, ai };
  });

  deps.logger.info(
    { customer_id: customerId, from: maskPhone(from), keyword: keyword?.word ?? null, duplicate: outcome.duplicate },
    'inbound sms stored',
  );
  const reply = outcome.ai ? await composeAiReply(deps.ai, { customerId, callerPhone: from, ...outcome.ai }) : outcome.reply;
  if (reply && !outcome.duplicate) {
    // The reply goes out as TwiML through the gateway; record it so the log shows the conversation.
    await withTenant(db, customerId, async (tx) => {
      await tx.smsMessage.create({
        data: { customerId, direction: 'outbound', fromNumber: to, toNumber: from, body: reply, status: 'sent', sentAt: new Date() },
      });
      await meterSegments(tx, { customerId, kind: 'sms_segments_out', body: reply, key: `sms-reply:${options.messageSid}` });
    }).catch((error: unknown) =>
      deps.logger.error({ err: error, customer_id: customerId }, 'could not record the reply to an inbound sms'),
    );
  }
  return { reply };
}

/** One usage record of SMS segments, idempotent on `key` (a retried webhook meters nothing twice). */
async function meterSegments(
  tx: TenantTx,
  options: { customerId: number; kind: 'sms_segments_in' | 'sms_segments_out'; body: string; key: string },
): Promise<void> {
  await tx.usageRecord.createMany({
    data: [{ customerId: options.customerId, kind: options.kind, quantity: countSmsSegments(options.body), idempotencyKey: options.key }],
    skipDuplicates: true,
  });
}

/**
 * The tenant's own OpenAI key, when it set one (its AI texts then run on its account); null when
 * it has none; 'unusable' when it has one this process cannot decrypt (logged, never the key).
 */
async function readTenantOpenAiKey(tx: TenantTx, deps: ReceiveInboundMessageDeps, customerId: number): Promise<string | null | 'unusable'> {
  const credential = await tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider: 'openai' } } });
  if (!credential) return null;
  if (!deps.byokKeyring) {
    deps.logger.error(
      { customer_id: customerId, counter: 'sms_ai_reply_failed_total' },
      'the tenant has its own OpenAI key but BYOK_KEYS is not configured: no AI reply',
    );
    return 'unusable';
  }
  try {
    return decryptCredentialSecret({ customerId, provider: 'openai', credential, keyring: deps.byokKeyring });
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    deps.logger.error(
      { customer_id: customerId, reason: error.message, counter: 'sms_ai_reply_failed_total' },
      'the tenant’s OpenAI key does not decrypt: no AI reply',
    );
    return 'unusable';
  }
}
