import type { smsApiContract } from '@neurosphere/contracts';
import type { RouteCallers } from '@neurosphere/http';

/**
 * Which services may call each sms route: the services whose clients call it today
 * (docs/architecture.md §5.1). Any other service is refused: 401 when it calls no sms route at
 * all, 403 otherwise. A new caller is one line here, added with its client.
 */
export const SMS_CALLERS = {
  // orchestrator: the send_sms tool (apps/orchestrator/src/clients/sms-client.ts);
  // admin-api: staff notifications (apps/admin-api/src/clients/sms-client.ts).
  sendMessage: ['orchestrator', 'admin-api'],
  // No service reads the message log yet.
  listMessages: [],
  getMessage: [],
  // gateway: Twilio's SMS webhooks, handed over (apps/gateway/src/clients/sms-client.ts).
  inbound: ['gateway'],
  statusCallback: ['gateway'],
} as const satisfies RouteCallers<typeof smsApiContract>;

export type SmsCallers = RouteCallers<typeof smsApiContract>;
