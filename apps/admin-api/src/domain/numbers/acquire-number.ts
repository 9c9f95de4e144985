import type { NumberChoice } from '@neurosphere/contracts';
import type { PhoneNumberOrigin } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { numberWebhooks } from '@neurosphere/twilio';
import type { TenantTwilioAccount } from '../twilio/tenant-twilio-account';
import { numberTakenError } from './number-records';
import type { IncomingNumber, TwilioProvisioning } from '../twilio/twilio-provisioning';

export interface AcquiredNumber {
  incoming: IncomingNumber;
  origin: PhoneNumberOrigin;
}

export interface AcquireNumberOptions {
  twilio: TwilioProvisioning;
  account: TenantTwilioAccount;
  choice: NumberChoice;
  publicBaseUrl: string;
  /** Shown in the Twilio console next to the number. */
  friendlyName: string;
  /** True when a tenant (another, or this one) has the number already: such numbers are never bought. */
  isTaken: (e164: string) => Promise<boolean>;
  /**
   * Called with the number about to be bought, before Twilio is asked. A resumable operation
   * records it, so that a retry looks for that number in the account instead of buying another.
   */
  beforeBuying?: (e164: string) => Promise<void>;
  /** A number an earlier attempt of this operation may have bought already (looked for first). */
  boughtBefore?: string;
}

/** How many numbers of a search are tried when the first ones are sold meanwhile (Twilio 21422). */
const SEARCH_ATTEMPTS = 3;

/**
 * Gets the tenant a number in its Twilio account with the webhooks pointed at this platform: buys
 * one (the first free match of a search, or a number seen in a search), or attaches one the
 * account already has. Never buys a number a tenant already has (409), nor a second one when an
 * earlier attempt bought `boughtBefore`. Twilio only: the caller records the number.
 */
export async function acquireNumber(options: AcquireNumberOptions): Promise<AcquiredNumber> {
  const { twilio, account, choice } = options;
  const webhooks = numberWebhooks(options.publicBaseUrl);

  if (options.boughtBefore) {
    const owned = await twilio.findIncomingNumber(account.account, options.boughtBefore, account.description);
    if (owned) return { incoming: await twilio.setWebhooks(account.account, owned.sid, webhooks, account.description), origin: 'bought' };
    if (choice.kind === 'search') return buyFirstAvailable(options, [options.boughtBefore]);
  }

  switch (choice.kind) {
    case 'existing': {
      if (await options.isTaken(choice.phone_number)) throw numberTakenError(choice.phone_number);
      const owned = await twilio.findIncomingNumber(account.account, choice.phone_number, account.description);
      if (!owned) {
        throw new AppError(
          'UNPROCESSABLE',
          `${choice.phone_number} is not a number of ${account.description}: buy it, or attach a number the account has`,
          {
            details: [{ path: 'number.phone_number', message: `not in ${account.description}` }],
          },
        );
      }
      return { incoming: await twilio.setWebhooks(account.account, owned.sid, webhooks, account.description), origin: 'attached' };
    }
    case 'available':
      if (await options.isTaken(choice.phone_number)) throw numberTakenError(choice.phone_number);
      await options.beforeBuying?.(choice.phone_number);
      return {
        incoming: await twilio.buyNumber(
          account.account,
          { phoneNumber: choice.phone_number, webhooks, friendlyName: options.friendlyName },
          account.description,
        ),
        origin: 'bought',
      };
    case 'search':
      return buyFirstAvailable(options, []);
  }
}

async function buyFirstAvailable(options: AcquireNumberOptions, skip: string[]): Promise<AcquiredNumber> {
  const { twilio, account, choice } = options;
  if (choice.kind !== 'search') throw new Error('buyFirstAvailable: not a search');
  const found = await twilio.searchAvailable(
    account.account,
    {
      areaCode: choice.area_code,
      contains: choice.contains,
      voice: choice.voice,
      sms: choice.sms,
      limit: SEARCH_ATTEMPTS + skip.length + 2,
    },
    account.description,
  );
  const candidates: string[] = [];
  for (const number of found) {
    if (skip.includes(number.phoneNumber) || (await options.isTaken(number.phoneNumber))) continue;
    candidates.push(number.phoneNumber);
    if (candidates.length === SEARCH_ATTEMPTS) break;
  }
  const webhooks = numberWebhooks(options.publicBaseUrl);
  for (const [index, phoneNumber] of candidates.entries()) {
    await options.beforeBuying?.(phoneNumber);
    try {
      return {
        incoming: await twilio.buyNumber(
          account.account,
          { phoneNumber, webhooks, friendlyName: options.friendlyName },
          account.description,
        ),
        origin: 'bought',
      };
    } catch (error) {
      // Sold to someone else between the search and the purchase: the next match will do.
      if (error instanceof AppError && error.code === 'CONFLICT' && index < candidates.length - 1) continue;
      throw error;
    }
  }
  throw new AppError('UNPROCESSABLE', `Twilio has no number for sale matching the search (${describeSearch(choice)})`, {
    details: [{ path: 'number', message: 'no available number matches' }],
  });
}

function describeSearch(choice: Extract<NumberChoice, { kind: 'search' }>): string {
  const parts = [
    choice.area_code ? `area code ${choice.area_code}` : null,
    choice.contains ? `containing ${choice.contains}` : null,
    choice.voice ? 'voice' : null,
    choice.sms ? 'SMS' : null,
  ].filter((part) => part !== null);
  return parts.join(', ') || 'any number';
}
