import type { NumberChoice, TenantNumber } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db, PhoneNumberPurpose } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { numberWebhooks } from '@neurosphere/twilio';
import type { PlatformOperations } from '../platform/platform-operations';
import { requirePublicBaseUrl } from '../platform/platform-operations';
import { adminActor } from '../shared/actor';
import { describeTwilioAccount, loadTenantTwilioAccount } from '../twilio/tenant-twilio-account';
import { acquireNumber } from './acquire-number';
import {
  assignTenantNumber,
  moveTenantNumber as moveNumberRecord,
  numberOwner,
  recordNumberWebhooks,
  removeTenantNumber,
} from './number-records';
import { toTenantNumber } from './number-view';

/**
 * A tenant's numbers, managed by platform admins. Twilio is never called inside a transaction:
 * each operation reads what it needs (withPlatform, audited), calls Twilio, then records the
 * outcome in a second audited transaction. A number bought whose recording then fails is released
 * again, so nothing is left half-created.
 */

export interface NumberOperationOptions {
  platformDb: Db;
  operations: PlatformOperations;
  actorId: string;
  customerId: number;
}

export async function listTenantNumbers(options: NumberOperationOptions): Promise<TenantNumber[]> {
  const { customerId } = options;
  const numbers = await withPlatform(
    options.platformDb,
    { actor: adminActor(options.actorId), action: 'tenant.numbers.list', customerId },
    async (tx) => {
      if (!(await tx.customer.findUnique({ where: { id: customerId }, select: { id: true } })))
        throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
      return tx.phoneNumber.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } });
    },
  );
  return numbers.map((number) => toTenantNumber(number, options.operations.publicBaseUrl));
}

export async function searchAvailableNumbers(
  options: NumberOperationOptions & { search: { area_code?: string; contains?: string; voice: boolean; sms: boolean; limit: number } },
) {
  const { customerId, search } = options;
  const account = await withPlatform(
    options.platformDb,
    { actor: adminActor(options.actorId), action: 'tenant.numbers.search', customerId, details: search },
    (tx) => loadTenantTwilioAccount(tx, { customerId, operations: options.operations }),
  );
  const found = await options.operations.twilio.searchAvailable(
    account.account,
    { areaCode: search.area_code, contains: search.contains, voice: search.voice, sms: search.sms, limit: search.limit },
    account.description,
  );
  return found.map((number) => ({
    phone_number: number.phoneNumber,
    locality: number.locality,
    region: number.region,
    capabilities: number.capabilities,
  }));
}

/** Buys a number into the tenant's account or attaches one it has, webhooks pointed here. */
export async function addTenantNumber(
  options: NumberOperationOptions & { choice: NumberChoice; purpose: PhoneNumberPurpose },
): Promise<TenantNumber> {
  const { platformDb, operations, customerId } = options;
  const actor = adminActor(options.actorId);
  const publicBaseUrl = requirePublicBaseUrl(operations);
  const { account, businessName } = await withPlatform(platformDb, { actor, action: 'tenant.number.prepare', customerId }, async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { businessName: true } });
    if (!customer) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
    return { account: await loadTenantTwilioAccount(tx, { customerId, operations }), businessName: customer.businessName };
  });
  const acquired = await acquireNumber({
    twilio: operations.twilio,
    account,
    choice: options.choice,
    publicBaseUrl,
    friendlyName: businessName.slice(0, 64),
    isTaken: (e164) =>
      withPlatform(
        platformDb,
        { actor, action: 'number.check_taken', details: { phone_number: e164 } },
        async (tx) => (await numberOwner(tx, e164)) !== null,
      ),
  });
  const { incoming } = acquired;
  try {
    const number = await withPlatform(
      platformDb,
      {
        actor,
        action: 'tenant.number.add',
        customerId,
        details: { phone_number: incoming.phoneNumber, twilio_sid: incoming.sid, origin: acquired.origin },
      },
      async (tx) => {
        const created = await assignTenantNumber(tx, {
          customerId,
          e164: incoming.phoneNumber,
          purpose: options.purpose,
          twilioAccount: account.kind,
          twilioSid: incoming.sid,
          origin: acquired.origin,
          webhooksBaseUrl: publicBaseUrl,
        });
        await tx.auditLog.create({
          data: {
            customerId,
            actor,
            action: 'number.added',
            target: `number:${created.id}`,
            details: { phone_number: created.e164, origin: acquired.origin },
          },
        });
        return created;
      },
    );
    return toTenantNumber(number, publicBaseUrl);
  } catch (error) {
    if (acquired.origin === 'bought') {
      await operations.twilio
        .releaseNumber(account.account, incoming.sid, account.description)
        .catch((releaseError: unknown) =>
          operations.logger.error(
            { err: releaseError, customer_id: customerId, twilio_sid: incoming.sid },
            'a number was bought but could not be recorded, and releasing it failed: release it in the Twilio console',
          ),
        );
    }
    throw error;
  }
}

/**
 * Releases a number: a number the platform bought goes back to Twilio; an attached one keeps its
 * place in the tenant's account with its webhooks cleared. Twilio first: if it fails, the number
 * still routes here and nothing changed.
 */
export async function releaseTenantNumber(options: NumberOperationOptions & { e164: string }): Promise<{ releasedFromTwilio: boolean }> {
  const { platformDb, operations, customerId, e164 } = options;
  const actor = adminActor(options.actorId);
  const { number, account } = await withPlatform(
    platformDb,
    { actor, action: 'tenant.number.prepare_release', customerId, details: { phone_number: e164 } },
    async (tx) => {
      const found = await tx.phoneNumber.findFirst({ where: { customerId, e164 } });
      if (!found) throw new AppError('NOT_FOUND', `${e164} is not a number of tenant ${customerId}`);
      return {
        number: found,
        account: found.twilioSid ? await loadTenantTwilioAccount(tx, { customerId, kind: found.twilioAccount, operations }) : null,
      };
    },
  );
  let releasedFromTwilio = false;
  if (account && number.twilioSid) {
    if (number.origin === 'bought') {
      await operations.twilio.releaseNumber(account.account, number.twilioSid, account.description).catch((error: unknown) => {
        // Already gone from Twilio (released in the console): nothing left to release.
        if (!(error instanceof AppError && error.message.includes('20404'))) throw error;
      });
      releasedFromTwilio = true;
    } else {
      await operations.twilio.setWebhooks(account.account, number.twilioSid, null, account.description);
    }
  }
  await withPlatform(
    platformDb,
    { actor, action: 'tenant.number.release', customerId, details: { phone_number: e164, released_from_twilio: releasedFromTwilio } },
    async (tx) => {
      await removeTenantNumber(tx, { customerId, e164 });
      await tx.auditLog.create({
        data: {
          customerId,
          actor,
          action: 'number.released',
          target: `number:${number.id}`,
          details: { phone_number: e164, released_from_twilio: releasedFromTwilio },
        },
      });
    },
  );
  return { releasedFromTwilio };
}

/**
 * Moves a number to another tenant. Both on the platform's Twilio (its account or sub-accounts of
 * it): Twilio moves the number into the target tenant's account. A tenant's own (BYOK) account
 * is outside the platform's reach: such a number moves only between tenants sharing that account.
 */
export async function moveTenantNumber(options: NumberOperationOptions & { e164: string; toCustomerId: number }): Promise<TenantNumber> {
  const { platformDb, operations, customerId, e164, toCustomerId } = options;
  const actor = adminActor(options.actorId);
  if (toCustomerId === customerId) throw new AppError('UNPROCESSABLE', `${e164} is already a number of tenant ${customerId}`);
  const plan = await withPlatform(
    platformDb,
    { actor, action: 'tenant.number.prepare_move', customerId, details: { phone_number: e164, to_customer_id: toCustomerId } },
    async (tx) => {
      const number = await tx.phoneNumber.findFirst({ where: { customerId, e164 } });
      if (!number) throw new AppError('NOT_FOUND', `${e164} is not a number of tenant ${customerId}`);
      const target = await tx.customer.findUnique({ where: { id: toCustomerId }, select: { id: true } });
      if (!target) throw new AppError('NOT_FOUND', `Tenant ${toCustomerId} not found`);
      const from = await loadTenantTwilioAccount(tx, { customerId, kind: number.twilioAccount, operations });
      const to = await loadTenantTwilioAccount(tx, { customerId: toCustomerId, operations });
      return { number, from, to };
    },
  );
  const { number, from, to } = plan;
  if (from.account.accountSid !== to.account.accountSid) {
    if (from.kind === 'byok' || to.kind === 'byok') {
      throw new AppError(
        'UNPROCESSABLE',
        `${e164} cannot move from ${describeTwilioAccount(from.kind)} to ${describeTwilioAccount(to.kind).replace('the tenant', 'the other tenant')}: the platform moves numbers only between its own Twilio accounts`,
      );
    }
    if (!number.twilioSid)
      throw new AppError('UNPROCESSABLE', `${e164} has no Twilio number SID recorded: attach it to the other tenant instead`);
    await operations.twilio.transferNumber({
      fromAccountSid: from.account.accountSid,
      numberSid: number.twilioSid,
      toAccountSid: to.account.accountSid,
    });
  }
  const moved = await withPlatform(
    platformDb,
    { actor, action: 'tenant.number.move', customerId, details: { phone_number: e164, to_customer_id: toCustomerId } },
    async (tx) => {
      const record = await moveNumberRecord(tx, { fromCustomerId: customerId, toCustomerId, e164, twilioAccount: to.kind });
      await tx.auditLog.createMany({
        data: [
          {
            customerId,
            actor,
            action: 'number.moved_out',
            target: `number:${number.id}`,
            details: { phone_number: e164, to_customer_id: toCustomerId },
          },
          { customerId: toCustomerId, actor, action: 'number.moved_in', target: `number:${record.id}`, details: { phone_number: e164 } },
        ],
      });
      return record;
    },
  );
  return toTenantNumber(moved, operations.publicBaseUrl);
}

export interface WebhookRepair {
  phone_number: string;
  customer_id: number;
  outcome: 'repaired' | 'already_pointing_here' | 'failed';
  error: string | null;
}

/**
 * Points every number (of one tenant, or of all) at the current PUBLIC_BASE_URL. Each number is
 * set on Twilio and recorded on its own, so one failure (a BYOK account whose token changed) does
 * not stop the others; running it again repairs what failed.
 */
export async function repairWebhooks(
  options: Omit<NumberOperationOptions, 'customerId'> & { customerId?: number },
): Promise<WebhookRepair[]> {
  const { platformDb, operations } = options;
  const actor = adminActor(options.actorId);
  const publicBaseUrl = requirePublicBaseUrl(operations);
  const numbers = await withPlatform(
    platformDb,
    {
      actor,
      action: 'numbers.repair_webhooks',
      ...(options.customerId ? { customerId: options.customerId } : {}),
      details: { public_base_url: publicBaseUrl },
    },
    (tx) =>
      tx.phoneNumber.findMany({
        where: options.customerId ? { customerId: options.customerId } : {},
        orderBy: [{ customerId: 'asc' }, { e164: 'asc' }],
      }),
  );
  const results: WebhookRepair[] = [];
  for (const number of numbers) {
    const result = { phone_number: number.e164, customer_id: number.customerId };
    if (!number.twilioSid) {
      results.push({ ...result, outcome: 'failed', error: 'no Twilio number SID recorded (attach the number through the platform first)' });
      continue;
    }
    try {
      const account = await withPlatform(
        platformDb,
        { actor, action: 'number.repair_webhooks.account', customerId: number.customerId },
        (tx) => loadTenantTwilioAccount(tx, { customerId: number.customerId, kind: number.twilioAccount, operations }),
      );
      await operations.twilio.setWebhooks(account.account, number.twilioSid, numberWebhooks(publicBaseUrl), account.description);
      const before = number.webhooksBaseUrl;
      await withPlatform(
        platformDb,
        {
          actor,
          action: 'number.webhooks_set',
          customerId: number.customerId,
          details: { phone_number: number.e164, from: before, to: publicBaseUrl },
        },
        (tx) => recordNumberWebhooks(tx, { customerId: number.customerId, e164: number.e164, webhooksBaseUrl: publicBaseUrl }),
      );
      results.push({ ...result, outcome: before === publicBaseUrl ? 'already_pointing_here' : 'repaired', error: null });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ ...result, outcome: 'failed', error: error.message });
    }
  }
  return results;
}
