import { createTwilioClients } from '@neurosphere/twilio';
import type { CreateTwilioClientsOptions, TwilioAccount } from '@neurosphere/twilio';
import { untimed } from '@neurosphere/http';
import type { ProviderTimer } from '@neurosphere/http';

export type { TwilioAccount };

export interface OutboundSms {
  from: string;
  to: string;
  body: string;
  /** Where Twilio posts delivery status (the gateway); omitted when not configured. */
  statusCallback?: string;
}

/** Hands one text to Twilio; resolves with Twilio's message SID once Twilio accepted it. */
export interface TwilioSender {
  send(account: TwilioAccount, sms: OutboundSms): Promise<{ sid: string; numSegments: number | null }>;
}

/** The real `twilio` SDK's Messages resource, for whichever account the number lives in. */
export function createTwilioSender(options: CreateTwilioClientsOptions & { timer?: ProviderTimer } = {}): TwilioSender {
  const { timer = untimed, ...clientOptions } = options;
  const clients = createTwilioClients(clientOptions);
  return {
    async send(account, sms) {
      const message = await timer('twilio', 'send_sms', () =>
        clients.forAccount(account).messages.create({
          to: sms.to,
          from: sms.from,
          body: sms.body,
          ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
        }),
      );
      const numSegments = Number(message.numSegments);
      return { sid: message.sid, numSegments: Number.isInteger(numSegments) && numSegments > 0 ? numSegments : null };
    },
  };
}
