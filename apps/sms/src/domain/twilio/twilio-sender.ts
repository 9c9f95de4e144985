import http from 'node:http';
import twilio from 'twilio';

/** Credentials of one Twilio account: the platform's, or a tenant's own (BYOK). */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

export interface OutboundSms {
  from: string;
  to: string;
  body: string;
  /** Where Twilio posts delivery status (the gateway); omitted when not configured. */
  statusCallback?: string;
}

/** Hands one text to Twilio; resolves with Twilio's message SID once Twilio accepted it. */
export interface TwilioSender {
  send(account: TwilioAccount, sms: OutboundSms): Promise<{ sid: string }>;
}

const TWILIO_API_ORIGIN = 'https://api.twilio.com';
const MAX_CACHED_CLIENTS = 500;

export interface CreateTwilioSenderOptions {
  /** TWILIO_API_BASE_URL: replaces https://api.twilio.com (fake Twilio in tests and benchmarks). */
  apiBaseUrl?: string;
  /** Per-request timeout; a timeout is retried like any network error. */
  timeoutMs?: number;
}

/**
 * The real `twilio` SDK. One RequestClient (one keep-alive connection pool) serves every
 * account; credentials travel per request. The SDK's own 429 auto-retry stays off: retries belong
 * to the send job, which records them.
 */
export function createTwilioSender(options: CreateTwilioSenderOptions = {}): TwilioSender {
  const apiBaseUrl = options.apiBaseUrl?.replace(/\/+$/, '');
  class RoutedRequestClient extends twilio.RequestClient {
    override request<T>(opts: Parameters<twilio.RequestClient['request']>[0]) {
      const uri = apiBaseUrl && opts.uri.startsWith(TWILIO_API_ORIGIN) ? apiBaseUrl + opts.uri.slice(TWILIO_API_ORIGIN.length) : opts.uri;
      return super.request<T>({ ...opts, uri } as never);
    }
  }
  const requestClient = new RoutedRequestClient({ timeout: options.timeoutMs ?? 15_000, keepAlive: true, autoRetry: false });
  // The SDK configures only an https agent; a plain-http base URL (local fake) gets its own keep-alive pool.
  requestClient.axios.defaults.httpAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  const clients = new Map<string, twilio.Twilio>();
  const clientFor = (account: TwilioAccount): twilio.Twilio => {
    const key = `${account.accountSid}\n${account.authToken}`;
    let client = clients.get(key);
    if (!client) {
      if (clients.size >= MAX_CACHED_CLIENTS) clients.delete(clients.keys().next().value as string);
      client = twilio(account.accountSid, account.authToken, { httpClient: requestClient });
      clients.set(key, client);
    }
    return client;
  };

  return {
    async send(account, sms) {
      const message = await clientFor(account).messages.create({
        to: sms.to,
        from: sms.from,
        body: sms.body,
        ...(sms.statusCallback ? { statusCallback: sms.statusCallback } : {}),
      });
      return { sid: message.sid };
    },
  };
}

export interface TwilioFailure {
  /** Worth retrying: Twilio 429/5xx, timeouts and network errors. */
  retryable: boolean;
  /** Twilio's error code (e.g. "21211"), else "HTTP_<status>" or "NETWORK_ERROR". */
  code: string;
  message: string;
}

/**
 * Sorts a failed send. A RestException carries Twilio's HTTP status and error code: 429 and 5xx
 * are transient, any other 4xx (21211 invalid number, 21610 unsubscribed recipient, 20003 bad
 * credentials, ...) is permanent. Anything without an HTTP status never reached Twilio's answer:
 * a network error or timeout, retried.
 */
export function classifyTwilioError(error: unknown): TwilioFailure {
  const status = error instanceof twilio.RestException || hasNumericStatus(error) ? error.status : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined) return { retryable: true, code: 'NETWORK_ERROR', message };
  const twilioCode = (error as { code?: unknown }).code;
  const code = typeof twilioCode === 'number' || (typeof twilioCode === 'string' && twilioCode !== '') ? String(twilioCode) : `HTTP_${status}`;
  return { retryable: status === 429 || status >= 500, code, message };
}

function hasNumericStatus(error: unknown): error is { status: number } {
  return typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number';
}
