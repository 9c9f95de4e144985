import { getAuth } from '@neurosphere/auth';
import { smsApiContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { initServer } from '@ts-rest/express';
import { getMessage } from '../domain/messages/get-message';
import { listMessages } from '../domain/messages/list-messages';
import { recordDeliveryStatus } from '../domain/messages/record-delivery-status';
import { sendMessage } from '../domain/messages/send-message';
import type { SendMessageDeps } from '../domain/messages/send-message';
import { receiveInboundMessage } from '../domain/inbound/receive-inbound-message';
import type { ReceiveInboundMessageDeps } from '../domain/inbound/receive-inbound-message';
import { toSmsMessage } from './to-sms-message';

export type SmsRouteDeps = SendMessageDeps & ReceiveInboundMessageDeps;

/**
 * Thin handlers: the tenant is always the verified token's customer_id (getAuth), never the body.
 * Authentication and the per-route caller check run before these (see app.ts).
 */
export function smsRouter(deps: SmsRouteDeps): ContractImplementation<typeof smsApiContract> {
  const s = initServer();
  return s.router(smsApiContract, {
    sendMessage: async ({ body, res }) => {
      const result = await sendMessage(deps, {
        customerId: getAuth(res).customerId,
        to: body.to,
        body: body.body,
        templateName: body.template,
        variables: body.variables,
        idempotencyKey: body.idempotency_key,
        callSid: body.call_sid,
      });
      switch (result.outcome) {
        case 'queued':
        case 'duplicate':
          return { status: 202, body: { success: true as const, message: toSmsMessage(result.message) } };
        case 'opted_out':
          return {
            status: 422,
            body: {
              success: false as const,
              error: 'The recipient has opted out of texts from this business (replied STOP); the text was not sent',
              code: 'RECIPIENT_OPTED_OUT',
              details: [{ path: 'to', message: 'recipient opted out' }],
            },
          };
        case 'rate_limited':
          res.setHeader('retry-after', String(result.retryAfterSeconds));
          return {
            status: 429,
            body: {
              success: false as const,
              error: `Rate limit reached: this business may send ${result.limitPerMinute} texts per minute; retry in ${result.retryAfterSeconds} s`,
              code: 'RATE_LIMITED',
            },
          };
      }
    },

    listMessages: async ({ query, res }) => {
      const page = await listMessages(deps.db, {
        customerId: getAuth(res).customerId,
        phoneNumber: query.phone_number,
        status: query.status,
        direction: query.direction,
        since: query.since === undefined ? undefined : new Date(query.since),
        until: query.until === undefined ? undefined : new Date(query.until),
        limit: query.limit,
        cursor: query.cursor,
      });
      return { status: 200, body: { success: true as const, messages: page.messages.map(toSmsMessage), next_cursor: page.nextCursor } };
    },

    getMessage: async ({ params, res }) => {
      const message = await getMessage(deps.db, { customerId: getAuth(res).customerId, messageId: params.id });
      return { status: 200, body: { success: true as const, message: toSmsMessage(message) } };
    },

    inbound: async ({ body, res }) => {
      const { reply } = await receiveInboundMessage(deps, {
        customerId: getAuth(res).customerId,
        messageSid: body.message_sid,
        from: body.from,
        to: body.to,
        body: body.body,
      });
      return { status: 200, body: { success: true as const, reply } };
    },

    statusCallback: async ({ body, res }) => {
      const { updated } = await recordDeliveryStatus(deps, {
        customerId: getAuth(res).customerId,
        twilioSid: body.message_sid,
        twilioStatus: body.message_status,
        errorCode: body.error_code,
        errorMessage: body.error_message,
      });
      return { status: 200, body: { success: true as const, updated } };
    },
  });
}
