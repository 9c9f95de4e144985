import { withTenant } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { classifyTwilioError, createTwilioClients, resolveTwilioAccount, twilioCredentialProvider } from '@neurosphere/twilio';
import type { TwilioAccount } from '@neurosphere/twilio';
import { withTimeout } from '../lib/timeout';

/** What Twilio's Calls resource says about one call: its status, and its end once it has one. */
export type TwilioCallStatus = { status: string; durationSeconds?: number; endedAt?: string };

/** Twilio's call resource, asked with the tenant's own Twilio account (platform, sub-account or BYOK). */
export interface TwilioCallLookup {
  /** `calledPhone` picks the account (the number's); a call Twilio does not know answers `unknown`. */
  fetch(options: { customerId: number; calledPhone: string; callSid: string }): Promise<TwilioCallStatus | 'unknown'>;
}

/** The tenant's Twilio account cannot be used (no credentials, or they do not decrypt): retrying will not help. */
export class TwilioAccountUnusableError extends Error {
  override readonly name = 'TwilioAccountUnusableError';
}

export interface CreateTwilioCallLookupOptions {
  db: Db;
  /** TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN; null when this process has none. */
  platformAccount: TwilioAccount | null;
  keyring: Keyring | undefined;
  /** TWILIO_API_BASE_URL (a fake Twilio in tests). */
  apiBaseUrl: string | undefined;
  twilioTimeoutMs: number;
  databaseTimeoutMs: number;
}

export function createTwilioCallLookup(options: CreateTwilioCallLookupOptions): TwilioCallLookup {
  const { db, databaseTimeoutMs } = options;
  const clients = createTwilioClients({ apiBaseUrl: options.apiBaseUrl, timeoutMs: options.twilioTimeoutMs });
  return {
    async fetch({ customerId, calledPhone, callSid }) {
      const found = await withTimeout('read the number’s Twilio account', databaseTimeoutMs, () =>
        withTenant(
          db,
          customerId,
          async (tx) => {
            // The number the caller dialled says which account took the call; a number released
            // since then falls back to the account the tenant's numbers live in.
            const number = await tx.phoneNumber.findUnique({
              where: { customerId_e164: { customerId, e164: calledPhone } },
              select: { twilioAccount: true },
            });
            const kind =
              number?.twilioAccount ??
              (await tx.customer.findUnique({ where: { id: customerId }, select: { twilioAccount: true } }))?.twilioAccount;
            if (!kind) return null;
            const provider = twilioCredentialProvider(kind);
            const credential = provider
              ? await tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider } } })
              : null;
            return { kind, credential };
          },
          { maxWait: databaseTimeoutMs, timeout: databaseTimeoutMs },
        ),
      );
      if (!found) throw new TwilioAccountUnusableError(`Tenant ${customerId} not found`);
      const resolved = resolveTwilioAccount({
        customerId,
        accountKind: found.kind,
        credential: found.credential,
        platformAccount: options.platformAccount,
        keyring: options.keyring,
        where: 'orchestrator',
      });
      if (!resolved.ok) throw new TwilioAccountUnusableError(resolved.message);

      let call;
      try {
        call = await clients.forAccount(resolved.account).calls(callSid).fetch();
      } catch (error) {
        if (classifyTwilioError(error).status === 404) return 'unknown';
        throw error;
      }
      const duration = call.duration === null || call.duration === undefined ? Number.NaN : Number(call.duration);
      return {
        status: call.status,
        ...(Number.isInteger(duration) && duration >= 0 ? { durationSeconds: duration } : {}),
        ...(call.endTime ? { endedAt: call.endTime.toISOString() } : {}),
      };
    },
  };
}
