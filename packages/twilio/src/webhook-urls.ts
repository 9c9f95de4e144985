/**
 * Where Twilio calls this platform for a tenant's number: the gateway's public routes. The gateway
 * mounts its webhook routes on these paths; number provisioning sets them on every number.
 */
export const TWILIO_WEBHOOK_PATHS = {
  incomingCall: '/call/incoming',
  callTurn: '/call/turn',
  callStatus: '/call/status',
  incomingSms: '/sms/incoming',
  smsStatus: '/sms/status',
} as const;

/** The webhook settings of an IncomingPhoneNumber, for PUBLIC_BASE_URL `publicBaseUrl`. */
export interface NumberWebhooks {
  voiceUrl: string;
  voiceMethod: 'POST';
  statusCallback: string;
  statusCallbackMethod: 'POST';
  smsUrl: string;
  smsMethod: 'POST';
}

export function numberWebhooks(publicBaseUrl: string): NumberWebhooks {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    voiceUrl: base + TWILIO_WEBHOOK_PATHS.incomingCall,
    voiceMethod: 'POST',
    statusCallback: base + TWILIO_WEBHOOK_PATHS.callStatus,
    statusCallbackMethod: 'POST',
    smsUrl: base + TWILIO_WEBHOOK_PATHS.incomingSms,
    smsMethod: 'POST',
  };
}
