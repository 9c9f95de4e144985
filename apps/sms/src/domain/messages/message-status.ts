import type { SmsStatus } from '@neurosphere/db';

/**
 * The outbound state machine. A message only moves forward:
 *   queued → sending → sent → delivered | undelivered | failed
 * `sending` means a worker claimed it and Twilio has not accepted it yet (twilio_sid is NULL);
 * `sent` means Twilio accepted it (twilio_sid set); the final three come from Twilio's status
 * callbacks (or from a permanent error before Twilio accepted it: failed). A late callback never
 * moves a message backwards, and the final states never change into each other.
 */
const RANK: Record<Exclude<SmsStatus, 'received'>, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
};

type OutboundStatus = keyof typeof RANK;

/** The statuses a message may be in for `next` to replace it (strictly earlier ones). */
export function statusesBefore(next: OutboundStatus): OutboundStatus[] {
  return (Object.keys(RANK) as OutboundStatus[]).filter((status) => RANK[status] < RANK[next]);
}

/**
 * Twilio's MessageStatus values mapped onto ours. `accepted`/`scheduled` are Twilio-side queueing,
 * `read` is a delivery receipt, `canceled` never went out. Unknown values (and the inbound
 * `receiving`/`received`) map to null and change nothing.
 */
export function fromTwilioStatus(twilioStatus: string): OutboundStatus | null {
  switch (twilioStatus.trim().toLowerCase()) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}
