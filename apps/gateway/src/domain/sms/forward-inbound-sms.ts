import { AppError, UpstreamError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import twilio from 'twilio';
import type { SmsClient } from '../../clients/sms-client';
import type { GatewayMetrics } from '../../metrics';

export interface SmsDeps {
  sms: SmsClient;
  metrics: GatewayMetrics;
  log: Logger;
}

export interface ForwardInboundSmsOptions {
  deps: SmsDeps;
  /** The tenant owning the number the text was sent to. */
  customerId: number;
  messageSid: string;
  from: string;
  to: string;
  body: string;
  requestId?: string;
}

/** A MessagingResponse with the reply, or empty (Twilio then sends nothing back). */
export function renderSmsReply(reply: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}

/**
 * Hands an inbound text to the sms service (which records it and handles STOP/START/HELP for the
 * tenant) and renders its reply. If the sms service cannot take it, the webhook fails with 503 so
 * the failure shows in Twilio's debugger and its fallback URL is used: a dropped STOP must not
 * look like success.
 */
export async function forwardInboundSms(options: ForwardInboundSmsOptions): Promise<string> {
  const { deps } = options;
  try {
    const reply = await deps.sms.inbound({
      customerId: options.customerId,
      messageSid: options.messageSid,
      from: options.from,
      to: options.to,
      body: options.body,
      requestId: options.requestId,
    });
    return renderSmsReply(reply);
  } catch (error) {
    throw smsUnavailable(deps, 'inbound', options.customerId, options.messageSid, error);
  }
}

export function smsUnavailable(
  deps: SmsDeps,
  operation: 'inbound' | 'status',
  customerId: number,
  messageSid: string,
  error: unknown,
): AppError {
  const reason = error instanceof UpstreamError ? error.reason : 'internal';
  deps.metrics.smsForwardFailed.inc({ operation, reason });
  deps.log.error(
    { event: 'degraded', dependency: 'sms', operation, reason, customerId, messageSid, err: error },
    `sms service could not take the ${operation} webhook`,
  );
  return new AppError('UNAVAILABLE', 'The SMS service is unavailable; try again later', { cause: error });
}
