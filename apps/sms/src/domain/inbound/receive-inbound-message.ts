import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError, maskPhone } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { clearOptOut, isOptedOut, recordOptOut } from '../opt-outs/find-opt-out';
import { composeAiReply } from './compose-ai-reply';
import type { AiReplyDeps, ComposeAiReplyOptions } from './compose-ai-reply';
import { parseKeyword } from './parse-keyword';

export interface ReceiveInboundMessageDeps {
  db: Db;
  logger: Logger;
  ai: AiReplyDeps;
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
export async function receiveInboundMessage(deps: ReceiveInboundMessageDeps, options: ReceiveInboundMessageOptions): Promise<{ reply: string | null }> {
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
      data: [{ customerId, direction: 'inbound', fromNumber: from, toNumber: to, body: options.body, status: 'received', twilioSid: options.messageSid, receivedAt: now }],
      skipDuplicates: true,
    });
    const duplicate = count === 0;

    if (keyword?.kind === 'opt_out') await recordOptOut(tx, { customerId, phone: from, keyword: keyword.word });
    if (keyword?.kind === 'opt_in') await clearOptOut(tx, { customerId, phone: from });

    const customer = await tx.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { status: true, helpText: true, smsAiReplyEnabled: true, businessName: true, agentName: true, personality: true, openaiModel: true },
    });
    if (keyword?.kind === 'help') return { duplicate, reply: customer.helpText?.trim() || DEFAULT_HELP_REPLY, ai: null };
    if (keyword || duplicate || !customer.smsAiReplyEnabled || customer.status !== 'active') return { duplicate, reply: null, ai: null };
    if (await isOptedOut(tx, { customerId, phone: from })) return { duplicate, reply: null, ai: null };

    const history = await tx.smsMessage.findMany({
      where: { customerId, OR: [{ fromNumber: from, toNumber: to }, { fromNumber: to, toNumber: from }] },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: AI_HISTORY_MESSAGES,
      select: { direction: true, body: true },
    });
    const ai: Omit<ComposeAiReplyOptions, 'customerId' | 'callerPhone'> = { tenant: customer, conversation: history.reverse() };
    return { duplicate, reply: null, ai };
  });

  deps.logger.info(
    { customer_id: customerId, from: maskPhone(from), keyword: keyword?.word ?? null, duplicate: outcome.duplicate },
    'inbound sms stored',
  );
  const reply = outcome.ai ? await composeAiReply(deps.ai, { customerId, callerPhone: from, ...outcome.ai }) : outcome.reply;
  if (reply && !outcome.duplicate) {
    // The reply goes out as TwiML through the gateway; record it so the log shows the conversation.
    await withTenant(db, customerId, (tx) =>
      tx.smsMessage.create({
        data: { customerId, direction: 'outbound', fromNumber: to, toNumber: from, body: reply, status: 'sent', sentAt: new Date() },
      }),
    ).catch((error: unknown) => deps.logger.error({ err: error, customer_id: customerId }, 'could not record the reply to an inbound sms'));
  }
  return { reply };
}
