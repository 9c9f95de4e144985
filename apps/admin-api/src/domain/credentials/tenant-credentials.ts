import type { TenantCredentialView } from '@neurosphere/contracts';
import { decryptCredentialSecret, encryptCredentialSecret, SecretBoxError, withPlatform, withTenant } from '@neurosphere/db';
import type { Db, TenantCredential, TenantTx } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import type { PlatformOperations } from '../platform/platform-operations';
import { requireKeyring } from '../platform/platform-operations';
import type { TenantCommand } from '../shared/tenant-command';

/** The providers a tenant brings its own key for (the sub-account's token is the platform's business). */
export type ByokProvider = 'twilio' | 'openai' | 'elevenlabs';

export interface CredentialOptions extends TenantCommand {
  platformDb: Db;
  operations: Pick<PlatformOperations, 'twilio' | 'keyring' | 'providerKeys'>;
  provider: ByokProvider;
}

/**
 * A tenant's own provider keys, write-only. A key is checked with the provider before anything is
 * stored; it is stored encrypted (bound to the tenant and provider) and only its last four
 * characters and verified_at ever come back. Audit rows name the provider, never the key.
 *
 * OpenAI and ElevenLabs keys are the tenant's own rows: written through withTenant. A Twilio key is
 * the tenant's own account, where its new numbers then go: that switch of customers.twilio_account
 * is a platform decision the app role may not write, so Twilio keys are written through
 * withPlatform (audited there, and in the tenant's audit log).
 */

export function toCredentialView(credential: TenantCredential): TenantCredentialView {
  return {
    provider: credential.provider as ByokProvider,
    account_identifier: credential.accountIdentifier,
    last_four: credential.lastFour,
    verified_at: credential.verifiedAt?.toISOString() ?? null,
    updated_at: credential.updatedAt.toISOString(),
  };
}

export async function listTenantCredentials(options: Pick<CredentialOptions, 'db' | 'customerId'>): Promise<TenantCredentialView[]> {
  const { customerId } = options;
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.tenantCredential.findMany({
      where: { customerId, provider: { in: ['twilio', 'openai', 'elevenlabs'] } },
      orderBy: { provider: 'asc' },
    }),
  );
  return rows.map(toCredentialView);
}

/** Sets (mode `set`) or replaces (mode `rotate`: one must exist) the tenant's key for `provider`. */
export async function setTenantCredential(
  options: CredentialOptions & { secret: string; accountSid?: string; mode: 'set' | 'rotate' },
): Promise<TenantCredentialView> {
  const { customerId, provider } = options;
  const keyring = requireKeyring(options.operations);
  if (provider === 'twilio' && !options.accountSid)
    throw validationError([{ path: 'body.account_sid', message: 'account_sid is required for twilio' }]);
  if (provider !== 'twilio' && options.accountSid)
    throw validationError([{ path: 'body.account_sid', message: `account_sid is only for twilio, not ${provider}` }]);

  if (options.mode === 'rotate') {
    const existing = await withTenant(options.db, customerId, (tx) =>
      tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider } } }),
    );
    if (!existing) throw new AppError('NOT_FOUND', `The tenant has no ${provider} key to rotate: set one`);
  }
  await checkWithProvider(options, options.secret, options.accountSid);

  const action = options.mode === 'set' ? 'credential.set' : 'credential.rotated';
  const { actor } = options;
  const columns = {
    ...encryptCredentialSecret({ customerId, provider, plaintext: options.secret, keyring }),
    accountIdentifier: options.accountSid ?? null,
    verifiedAt: new Date(),
  };
  const details = { provider, account_identifier: options.accountSid ?? null };
  const write = async (tx: TenantTx) => {
    const credential = await tx.tenantCredential.upsert({
      where: { customerId_provider: { customerId, provider } },
      create: { customerId, provider, ...columns },
      update: columns,
    });
    await tx.auditLog.create({ data: { customerId, actor, action, target: `credential:${provider}`, details } });
    return credential;
  };
  const credential =
    provider === 'twilio'
      ? await withPlatform(options.platformDb, { actor, action: `tenant.${action}`, customerId, details }, async (tx) => {
          const written = await write(tx);
          await tx.customer.update({ where: { id: customerId }, data: { twilioAccount: 'byok' } });
          return written;
        })
      : await withTenant(options.db, customerId, write);
  return toCredentialView(credential);
}

/** Checks the stored key with the provider again; verified_at moves only when it passes. */
export async function verifyTenantCredential(options: CredentialOptions): Promise<TenantCredentialView> {
  const { customerId, provider } = options;
  const keyring = requireKeyring(options.operations);
  const stored = await withTenant(options.db, customerId, (tx) =>
    tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider } } }),
  );
  if (!stored) throw new AppError('NOT_FOUND', `The tenant has no ${provider} key`);
  let secret: string;
  try {
    secret = decryptCredentialSecret({ customerId, provider, credential: stored, keyring });
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new AppError('UNPROCESSABLE', `The stored ${provider} key cannot be decrypted (${error.message}): set it again`);
  }
  await checkWithProvider(options, secret, stored.accountIdentifier ?? undefined);
  const verified = await withTenant(options.db, customerId, async (tx) => {
    const updated = await tx.tenantCredential.update({
      where: { customerId_provider: { customerId, provider } },
      data: { verifiedAt: new Date() },
    });
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'credential.verified', target: `credential:${provider}`, details: { provider } },
    });
    return updated;
  });
  return toCredentialView(verified);
}

/**
 * Removes the tenant's key: the platform's is used again. The tenant's own Twilio account cannot go
 * while numbers live in it (409: release or move them first); without it, new numbers go into the
 * tenant's sub-account if it has one, else the platform's account.
 */
export async function removeTenantCredential(options: Omit<CredentialOptions, 'operations'>): Promise<void> {
  const { customerId, provider } = options;
  const { actor } = options;
  const remove = async (tx: TenantTx) => {
    const { count } = await tx.tenantCredential.deleteMany({ where: { customerId, provider } });
    if (count === 0) throw new AppError('NOT_FOUND', `The tenant has no ${provider} key`);
    await tx.auditLog.create({
      data: { customerId, actor, action: 'credential.removed', target: `credential:${provider}`, details: { provider } },
    });
  };
  if (provider !== 'twilio') {
    await withTenant(options.db, customerId, remove);
    return;
  }
  await withPlatform(options.platformDb, { actor, action: 'tenant.credential.removed', customerId, details: { provider } }, async (tx) => {
    const numbers = await tx.phoneNumber.count({ where: { customerId, twilioAccount: 'byok' } });
    if (numbers > 0) {
      throw new AppError(
        'CONFLICT',
        `${numbers} number(s) of the tenant live in its own Twilio account: release or move them before removing its credentials`,
      );
    }
    await remove(tx);
    const subaccount = await tx.tenantCredential.findUnique({
      where: { customerId_provider: { customerId, provider: 'twilio_subaccount' } },
      select: { id: true },
    });
    await tx.customer.update({ where: { id: customerId }, data: { twilioAccount: subaccount ? 'subaccount' : 'platform' } });
  });
}

async function checkWithProvider(
  options: Pick<CredentialOptions, 'operations' | 'provider'>,
  secret: string,
  accountSid: string | undefined,
): Promise<void> {
  const { operations } = options;
  switch (options.provider) {
    case 'twilio':
      await operations.twilio.checkAccount({ accountSid: accountSid ?? '', authToken: secret }, 'the tenant’s own Twilio account');
      return;
    case 'openai':
      await operations.providerKeys.checkOpenAi(secret);
      return;
    case 'elevenlabs':
      await operations.providerKeys.checkElevenLabs(secret);
      return;
  }
}
