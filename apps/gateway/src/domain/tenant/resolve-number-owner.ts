import { lookupTenantByNumber, withTenant } from '@neurosphere/db';
import type { Db, Keyring, TwilioAccountKind } from '@neurosphere/db';
import { sayVoiceFor } from '@neurosphere/contracts';
import { resolveTwilioAccount, twilioCredentialProvider } from '@neurosphere/twilio';

/** Everything the gateway needs about the tenant behind a called number, before and after the signature check. */
export interface NumberOwner {
  customerId: number;
  status: 'active' | 'suspended';
  /** Which Twilio account the number lives in (the platform's, the tenant's sub-account or own account), so which token signs its webhooks. */
  twilioAccount: TwilioAccountKind;
  /** The token Twilio signs this number's webhooks with; null when it cannot be had (then every webhook is refused). */
  twilioAuthToken: string | null;
  /** Why twilioAuthToken is null, for the log. */
  tokenProblem?: string;
  suspendedMessage: string | null;
  transferNumber: string | null;
  speechTimeoutSeconds: number;
  /** How calls are answered: a speech <Gather> per turn, or a ConversationRelay stream. */
  voiceMode: 'gather' | 'relay';
  /** The tenant's language and <Say> voice, for the sentences the gateway speaks on its own. */
  speech: { language: string; voice?: string };
}

export interface ResolveNumberOwnerOptions {
  /** Prisma client of the app role (DATABASE_URL). */
  db: Db;
  /** The called number, E.164. */
  e164: string;
  /** The platform account's token, for numbers on the platform account. */
  platformAuthToken: string;
  /** Decrypts the tokens of tenants' sub-accounts and own accounts; undefined when the deployment has no BYOK keyring. */
  keyring: Keyring | undefined;
}

/**
 * Finds the owner of a called number: the SECURITY DEFINER lookup gives only the tenant id (the
 * tenant is unknown until then), then everything else is read inside withTenant for that tenant,
 * so RLS scopes it. Returns null when no tenant owns the number.
 */
export async function resolveNumberOwner(options: ResolveNumberOwnerOptions): Promise<NumberOwner | null> {
  const { db, e164 } = options;
  const found = await lookupTenantByNumber(db, e164);
  if (!found) return null;
  const { customerId } = found;
  const row = await withTenant(
    db,
    customerId,
    async (tx) => {
      const number = await tx.phoneNumber.findUnique({
        where: { customerId_e164: { customerId, e164 } },
        select: {
          twilioAccount: true,
          customer: {
            select: {
              status: true,
              suspendedMessage: true,
              transferNumber: true,
              speechTimeoutSeconds: true,
              language: true,
              sayVoice: true,
              voiceMode: true,
            },
          },
        },
      });
      const provider = number && twilioCredentialProvider(number.twilioAccount);
      if (!number || !provider) return number && { ...number, credential: null };
      const credential = await tx.tenantCredential.findUnique({
        where: { customerId_provider: { customerId, provider } },
        select: { accountIdentifier: true, secretCiphertext: true, secretIv: true, secretAuthTag: true, keyId: true },
      });
      return { ...number, credential };
    },
    { maxWait: 1000, timeout: 2000 },
  );
  // The number moved between the two reads: treat it as not owned rather than guess.
  if (!row) return null;

  const owner: NumberOwner = {
    customerId,
    status: row.customer.status,
    twilioAccount: row.twilioAccount,
    twilioAuthToken: options.platformAuthToken,
    suspendedMessage: row.customer.suspendedMessage,
    transferNumber: row.customer.transferNumber,
    speechTimeoutSeconds: row.customer.speechTimeoutSeconds,
    voiceMode: row.customer.voiceMode,
    speech: speechOf(row.customer.language, row.customer.sayVoice),
  };
  if (row.twilioAccount === 'platform') return owner;

  // The tenant's sub-account or own account signs its webhooks. Without its token nothing can be
  // verified, so the owner is returned with a null token and the webhook is refused (fail closed).
  const resolved = resolveTwilioAccount({
    customerId,
    accountKind: row.twilioAccount,
    credential: row.credential,
    platformAccount: null,
    keyring: options.keyring,
    where: 'gateway',
  });
  return resolved.ok
    ? { ...owner, twilioAuthToken: resolved.account.authToken }
    : { ...owner, twilioAuthToken: null, tokenProblem: resolved.message };
}

function speechOf(language: string, chosenVoice: string | null): NumberOwner['speech'] {
  const voice = sayVoiceFor(language, chosenVoice);
  return voice ? { language, voice } : { language };
}
