import http from 'node:http';
import twilio from 'twilio';

/** Credentials of one Twilio account: the platform's, a tenant's sub-account, or a tenant's own (BYOK). */
export interface TwilioAccount {
  accountSid: string;
  authToken: string;
}

export interface TwilioClients {
  /** The SDK client for one account (cached: one per account and token). */
  forAccount(account: TwilioAccount): twilio.Twilio;
}

export interface CreateTwilioClientsOptions {
  /** TWILIO_API_BASE_URL: replaces https://api.twilio.com (fake Twilio in tests, the local simulator). */
  apiBaseUrl?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Most account clients kept; the oldest goes first. */
  maxCachedClients?: number;
}

const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/**
 * The real `twilio` SDK for any number of accounts. One RequestClient (one keep-alive connection
 * pool) serves every account; credentials travel per request. The SDK's own 429 auto-retry stays
 * off: retries belong to the caller (a job, or the operator re-running an idempotent operation).
 */
export function createTwilioClients(options: CreateTwilioClientsOptions = {}): TwilioClients {
  const apiBaseUrl = options.apiBaseUrl?.replace(/\/+$/, '');
  const maxCachedClients = options.maxCachedClients ?? 500;
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
  return {
    forAccount(account) {
      const key = `${account.accountSid}\n${account.authToken}`;
      let client = clients.get(key);
      if (!client) {
        if (clients.size >= maxCachedClients) clients.delete(clients.keys().next().value as string);
        client = twilio(account.accountSid, account.authToken, { httpClient: requestClient });
        clients.set(key, client);
      }
      return client;
    },
  };
}
