import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import type { Db, TenantTx } from '../client/create-db';
import { credentialAssociatedData, encryptSecret } from '../crypto/secret-box';
import type { Keyring } from '../crypto/secret-box';
import type { CredentialProvider, Customer, PhoneNumber, Prisma } from '../generated/prisma/client';
import { withPlatform } from '../tenancy/with-platform';
import { assignPhoneNumber } from '../tenancy/assign-phone-number';

/**
 * Test factories. Every value that must be unique comes from @neurosphere/testing's unique ids,
 * so test files run in parallel against one database without cleaning up. Tenants are created
 * through withPlatform, exactly as onboarding does.
 */

export const TEST_INDUSTRY = 'test-industry';
export const TEST_TEMPLATE_VERSION = 1;

/** The industry template version test tenants pin; created once, safe under concurrency. */
export async function ensureTestTemplateVersion(platformDb: Db): Promise<{ industry: string; version: number }> {
  await withPlatform(platformDb, { actor: 'test', action: 'test.ensure_template' }, async (tx) => {
    await tx.industryTemplate.createMany({
      data: [{ industry: TEST_INDUSTRY, name: 'Test industry' }],
      skipDuplicates: true,
    });
    await tx.industryTemplateVersion.createMany({
      data: [
        {
          industry: TEST_INDUSTRY,
          version: TEST_TEMPLATE_VERSION,
          publishedAt: new Date(),
          definition: {
            industry: TEST_INDUSTRY,
            version: TEST_TEMPLATE_VERSION,
            name: 'Test industry',
            fields: [{ key: 'city', label: 'City', type: 'string', hint: 'The caller’s city.' }],
            promptFragments: { role: 'You answer the phone for a test business.', guidelines: [] },
            quickBio: { format: '{{name}} | {{city}}' },
          },
        },
      ],
      skipDuplicates: true,
    });
  });
  return { industry: TEST_INDUSTRY, version: TEST_TEMPLATE_VERSION };
}

export type TestTenantOverrides = Partial<Omit<Prisma.CustomerUncheckedCreateInput, 'id'>> & {
  /** E.164 numbers to assign; one random number by default. */
  phoneNumbers?: string[];
};

export interface TestTenant {
  customer: Customer;
  customerId: number;
  phoneNumbers: PhoneNumber[];
}

export async function createTestTenant(platformDb: Db, overrides: TestTenantOverrides = {}): Promise<TestTenant> {
  const { phoneNumbers = [uniquePhone()], ...customerOverrides } = overrides;
  const template = await ensureTestTemplateVersion(platformDb);
  const suffix = uniqueSuffix();
  return withPlatform(platformDb, { actor: 'test', action: 'test.create_tenant' }, async (tx) => {
    const customer = await tx.customer.create({
      data: {
        businessName: `Test Business ${suffix}`,
        agentName: 'Alex',
        greeting: `Hello from test business ${suffix}`,
        industry: template.industry,
        templateVersion: template.version,
        ...customerOverrides,
      },
    });
    const created: PhoneNumber[] = [];
    for (const e164 of phoneNumbers) {
      created.push(await assignPhoneNumber(tx, { customerId: customer.id, e164 }));
    }
    return { customer, customerId: customer.id, phoneNumbers: created };
  });
}

export type TestAdminUserOverrides = Partial<Prisma.AdminUserCreateInput>;

export async function createTestAdminUser(platformDb: Db, overrides: TestAdminUserOverrides = {}) {
  return withPlatform(platformDb, { actor: 'test', action: 'test.create_admin_user' }, (tx) =>
    tx.adminUser.create({ data: { email: `admin-${uniqueSuffix()}@test.example`, ...overrides } }),
  );
}

/**
 * Stores a tenant's own (BYOK) provider secret the way the services read it: encrypted with the
 * keyring, bound to the tenant and provider. Runs in the caller's withPlatform transaction.
 */
export async function createTestCredential(
  tx: TenantTx,
  options: { customerId: number; provider: CredentialProvider; secret: string; keyring: Keyring; accountIdentifier?: string },
): Promise<void> {
  const { customerId, provider, keyring } = options;
  const encrypted = encryptSecret({ plaintext: options.secret, keyring, associatedData: credentialAssociatedData(customerId, provider) });
  await tx.tenantCredential.create({
    data: {
      customerId,
      provider,
      ...(options.accountIdentifier === undefined ? {} : { accountIdentifier: options.accountIdentifier }),
      secretCiphertext: new Uint8Array(encrypted.ciphertext),
      secretIv: new Uint8Array(encrypted.iv),
      secretAuthTag: new Uint8Array(encrypted.authTag),
      keyId: encrypted.keyId,
    },
  });
}
