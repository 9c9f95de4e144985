import { AppError } from '@neurosphere/http';
import { createTwilioClients } from '@neurosphere/twilio';
import type { NumberWebhooks, TwilioAccount } from '@neurosphere/twilio';
import type twilio from 'twilio';
import { twilioAppError } from './twilio-errors';

/** A number an account owns (Twilio's IncomingPhoneNumber), with where its webhooks point. */
export interface IncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  voiceUrl: string | null;
  statusCallback: string | null;
  smsUrl: string | null;
}

export interface AvailableNumber {
  phoneNumber: string;
  locality: string | null;
  region: string | null;
  capabilities: { voice: boolean; sms: boolean };
}

export interface AvailableNumberSearch {
  areaCode?: string;
  contains?: string;
  voice: boolean;
  sms: boolean;
  limit: number;
}

/** A Twilio sub-account of the platform's account. */
export interface Subaccount {
  accountSid: string;
  authToken: string;
  status: string;
}

/**
 * The Twilio work of platform operations, over the real `twilio` SDK: sub-accounts (under the
 * platform's account), number search and purchase, webhooks, transfer and release, in whichever
 * account a tenant's numbers live. Every failure is a platform AppError naming the cause (see
 * twilio-errors.ts); nothing here touches the database.
 */
export interface TwilioProvisioning {
  /** The platform's own account (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN); null when not configured. */
  platformAccount: TwilioAccount | null;
  findSubaccount(friendlyName: string): Promise<Subaccount | null>;
  /** A sub-account by SID, with its auth token (the parent may read it). */
  fetchSubaccount(accountSid: string): Promise<Subaccount>;
  createSubaccount(friendlyName: string): Promise<Subaccount>;
  closeSubaccount(accountSid: string): Promise<void>;
  /** Checks credentials with a Twilio API call (Twilio answers 20003 for wrong ones). */
  checkAccount(account: TwilioAccount, description: string): Promise<{ status: string }>;
  searchAvailable(account: TwilioAccount, search: AvailableNumberSearch, description: string): Promise<AvailableNumber[]>;
  findIncomingNumber(account: TwilioAccount, phoneNumber: string, description: string): Promise<IncomingNumber | null>;
  buyNumber(
    account: TwilioAccount,
    options: { phoneNumber: string; webhooks: NumberWebhooks; friendlyName: string },
    description: string,
  ): Promise<IncomingNumber>;
  /** Sets (or, with null, clears) a number's webhooks. */
  setWebhooks(account: TwilioAccount, numberSid: string, webhooks: NumberWebhooks | null, description: string): Promise<IncomingNumber>;
  releaseNumber(account: TwilioAccount, numberSid: string, description: string): Promise<void>;
  /** Moves a number between two sub-accounts of the platform (or to/from the platform's account); needs the platform's credentials. */
  transferNumber(options: { fromAccountSid: string; numberSid: string; toAccountSid: string }): Promise<IncomingNumber>;
}

export interface CreateTwilioProvisioningOptions {
  platformAccount: TwilioAccount | null;
  apiBaseUrl?: string;
  timeoutMs?: number;
}

const PLATFORM_ACCOUNT = 'the platform’s Twilio account';

export function createTwilioProvisioning(options: CreateTwilioProvisioningOptions): TwilioProvisioning {
  const clients = createTwilioClients({ apiBaseUrl: options.apiBaseUrl, timeoutMs: options.timeoutMs });
  const { platformAccount } = options;
  const platform = () => {
    if (!platformAccount) {
      throw new AppError(
        'UNAVAILABLE',
        'The platform’s Twilio account is not configured (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN on the admin-api)',
      );
    }
    return clients.forAccount(platformAccount);
  };
  const run = async <T>(what: string, account: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw twilioAppError(error, { what, account });
    }
  };
  const accountsOf = (account: TwilioAccount) => clients.forAccount(account).api.v2010.accounts(account.accountSid);

  return {
    platformAccount,
    findSubaccount: (friendlyName) =>
      run('looking for the tenant’s sub-account', PLATFORM_ACCOUNT, async () => {
        const found = await platform().api.v2010.accounts.list({ friendlyName, limit: 20 });
        const open = found.find((account) => account.status !== 'closed' && account.sid !== platformAccount?.accountSid);
        return open ? { accountSid: open.sid, authToken: open.authToken, status: open.status } : null;
      }),
    fetchSubaccount: (accountSid) =>
      run('reading the tenant’s sub-account', PLATFORM_ACCOUNT, async () => {
        const fetched = await platform().api.v2010.accounts(accountSid).fetch();
        return { accountSid: fetched.sid, authToken: fetched.authToken, status: fetched.status };
      }),
    createSubaccount: (friendlyName) =>
      run('creating the tenant’s sub-account', PLATFORM_ACCOUNT, async () => {
        const created = await platform().api.v2010.accounts.create({ friendlyName });
        return { accountSid: created.sid, authToken: created.authToken, status: created.status };
      }),
    closeSubaccount: (accountSid) =>
      run('closing the tenant’s sub-account', PLATFORM_ACCOUNT, async () => {
        await platform().api.v2010.accounts(accountSid).update({ status: 'closed' });
      }),
    checkAccount: (account, description) =>
      run('checking the account’s credentials', description, async () => {
        const fetched = await accountsOf(account).fetch();
        return { status: fetched.status };
      }),
    searchAvailable: (account, search, description) =>
      run('searching for available numbers', description, async () => {
        const found = await accountsOf(account)
          .availablePhoneNumbers('US')
          .local.list({
            ...(search.areaCode ? { areaCode: Number(search.areaCode) } : {}),
            ...(search.contains ? { contains: search.contains } : {}),
            ...(search.voice ? { voiceEnabled: true } : {}),
            ...(search.sms ? { smsEnabled: true } : {}),
            limit: search.limit,
          });
        return found.map((number) => ({
          phoneNumber: number.phoneNumber,
          locality: number.locality ?? null,
          region: number.region ?? null,
          // Twilio writes these capabilities' keys in capitals ("SMS"); the SDK passes them on as they are.
          capabilities: { voice: capability(number.capabilities, 'voice'), sms: capability(number.capabilities, 'sms') },
        }));
      }),
    findIncomingNumber: (account, phoneNumber, description) =>
      run(`looking for ${phoneNumber}`, description, async () => {
        const [found] = await accountsOf(account).incomingPhoneNumbers.list({ phoneNumber, limit: 1 });
        return found && found.phoneNumber === phoneNumber ? toIncomingNumber(found) : null;
      }),
    buyNumber: (account, { phoneNumber, webhooks, friendlyName }, description) =>
      run(`buying ${phoneNumber}`, description, async () =>
        toIncomingNumber(await accountsOf(account).incomingPhoneNumbers.create({ phoneNumber, friendlyName, ...webhooks })),
      ),
    setWebhooks: (account, numberSid, webhooks, description) =>
      run('setting the number’s webhooks', description, async () =>
        toIncomingNumber(
          await accountsOf(account)
            .incomingPhoneNumbers(numberSid)
            .update(webhooks ?? { voiceUrl: '', statusCallback: '', smsUrl: '' }),
        ),
      ),
    releaseNumber: (account, numberSid, description) =>
      run('releasing the number', description, async () => {
        await accountsOf(account).incomingPhoneNumbers(numberSid).remove();
      }),
    transferNumber: ({ fromAccountSid, numberSid, toAccountSid }) =>
      run('moving the number to the other tenant’s account', PLATFORM_ACCOUNT, async () =>
        toIncomingNumber(
          await platform().api.v2010.accounts(fromAccountSid).incomingPhoneNumbers(numberSid).update({ accountSid: toAccountSid }),
        ),
      ),
  };
}

function capability(capabilities: unknown, name: 'voice' | 'sms'): boolean {
  if (typeof capabilities !== 'object' || capabilities === null) return false;
  const entries = capabilities as Record<string, unknown>;
  return Boolean(entries[name] ?? entries[name.toUpperCase()]);
}

function toIncomingNumber(number: IncomingNumberResource): IncomingNumber {
  return {
    sid: number.sid,
    accountSid: number.accountSid,
    phoneNumber: number.phoneNumber,
    voiceUrl: number.voiceUrl || null,
    statusCallback: number.statusCallback || null,
    smsUrl: number.smsUrl || null,
  };
}

type IncomingNumberResource = Pick<
  Awaited<ReturnType<ReturnType<twilio.Twilio['api']['v2010']['accounts']>['incomingPhoneNumbers']['create']>>,
  'sid' | 'accountSid' | 'phoneNumber' | 'voiceUrl' | 'statusCallback' | 'smsUrl'
>;
