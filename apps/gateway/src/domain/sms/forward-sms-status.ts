import { smsUnavailable } from './forward-inbound-sms';
import type { SmsDeps } from './forward-inbound-sms';

export interface ForwardSmsStatusOptions {
  deps: SmsDeps;
  /** The tenant owning the number the text was sent from. */
  customerId: number;
  messageSid: string;
  messageStatus: string;
  errorCode?: string;
  errorMessage?: string;
  requestId?: string;
}

/** Hands Twilio's delivery status of an outbound text to the sms service; 503 when it cannot take it. */
export async function forwardSmsStatus(options: ForwardSmsStatusOptions): Promise<void> {
  const { deps } = options;
  try {
    await deps.sms.statusCallback({
      customerId: options.customerId,
      messageSid: options.messageSid,
      messageStatus: options.messageStatus,
      ...(options.errorCode ? { errorCode: options.errorCode } : {}),
      ...(options.errorMessage ? { errorMessage: options.errorMessage } : {}),
      requestId: options.requestId,
    });
  } catch (error) {
    throw smsUnavailable(deps, 'status', options.customerId, options.messageSid, error);
  }
}
