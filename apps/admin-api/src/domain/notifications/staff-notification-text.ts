import type { WebhookEnvelope } from '@neurosphere/contracts';

/** What a staff member reads in a text or an email about an event, with a link to the console where it helps. */
export function staffNotificationText(envelope: WebhookEnvelope, consoleUrl: string): { subject: string; text: string } {
  const data = envelope.data as Record<string, Record<string, unknown> | undefined>;
  // The console's tenant pages live under /customer/:customerId/admin (apps/console/src/routes.tsx).
  const inbox = `${consoleUrl}/customer/${envelope.customer_id}/admin/inbox`;
  switch (envelope.type) {
    case 'callback.requested':
    case 'message.taken': {
      const item = data.item as {
        id: string;
        caller: { phone: string; name: string | null };
        reason: string;
        callback_time: string | null;
        urgency: string;
      };
      const who = item.caller.name ? `${item.caller.name} (${item.caller.phone})` : item.caller.phone;
      const what = envelope.type === 'callback.requested' ? 'Callback request' : 'Message';
      const when = item.callback_time ? ` Best time: ${item.callback_time}.` : '';
      const urgent = item.urgency === 'high' ? 'URGENT ' : '';
      return { subject: `${urgent}${what} from ${who}`, text: `${urgent}${what} from ${who}: ${item.reason}.${when}\n${inbox}/${item.id}` };
    }
    case 'call.started': {
      const call = data.call as { from: string };
      return { subject: `Call from ${call.from}`, text: `A call from ${call.from} has started.` };
    }
    case 'call.completed': {
      const call = data.call as { from: string };
      const summary = data.summary as { text: string };
      return { subject: `Call from ${call.from} ended`, text: `Call from ${call.from} ended. Summary: ${summary.text}` };
    }
    case 'transfer.failed': {
      const call = data.call as { from: string };
      return {
        subject: `Missed transfer: call ${call.from} back`,
        text: `A caller (${call.from}) asked for a person, nobody answered the transfer, and they left no message. Please call them back.`,
      };
    }
    case 'sms.received': {
      const message = data.message as { from: string; body: string };
      return { subject: `Text from ${message.from}`, text: `Text from ${message.from}: ${message.body}` };
    }
  }
}
