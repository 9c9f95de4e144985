// @neurosphere/db: the Prisma client, the tenant-isolation helpers and the migration runner.
// Tenant data is only ever touched inside withTenant (app role, RLS) or withPlatform (platform
// role, audited). See README.md for the isolation model.

export { createDb } from './client/create-db';
export { warmUpDb } from './client/warm-up-db';
export { createPool, pgPoolOptions } from './client/pool-options';
export type { CreateDbOptions, Db, TenantTx } from './client/create-db';
export { isUniqueViolation } from './client/prisma-errors';

export { withTenant, assertCustomerId, TenantContextError } from './tenancy/with-tenant';
export type { TransactionOptions } from './tenancy/with-tenant';
export { withPlatform, PlatformContextError } from './tenancy/with-platform';
export type { PlatformAuditEntry } from './tenancy/with-platform';
export { lookupTenantByNumber } from './tenancy/lookup-tenant-by-number';
export type { TenantByNumber } from './tenancy/lookup-tenant-by-number';
export { assignPhoneNumber, PhoneNumberTakenError } from './tenancy/assign-phone-number';
export type { AssignPhoneNumberOptions } from './tenancy/assign-phone-number';

export { encryptSecret, decryptSecret, parseKeyring, credentialAssociatedData, SecretBoxError } from './crypto/secret-box';
export type { Keyring, EncryptedSecret, EncryptSecretOptions, DecryptSecretOptions } from './crypto/secret-box';
export { byokEnvShape, withByokKeyring } from './crypto/byok-env';
export { encryptCredentialSecret, decryptCredentialSecret } from './crypto/credential-secret';
export type { StoredCredentialSecret, CredentialSecretColumns } from './crypto/credential-secret';

export {
  canConnect,
  applyMigrations,
  readLocalMigrations,
  migrationChecksum,
  MigrationError,
  DEFAULT_MIGRATIONS_DIR,
  APP_ROLE,
  PLATFORM_ROLE,
} from './migrations/apply-migrations';
export type { ApplyMigrationsOptions, ApplyMigrationsResult } from './migrations/apply-migrations';

export { seedDemoData, loadSeedFiles, SeedValidationError, DEFAULT_SEED_DIR } from './seed/seed-demo-data';
export type { SeedFiles, SeedResult, DemoTenant } from './seed/seed-demo-data';

// The generated client: model types, enums and the Prisma namespace (Prisma.sql, errors, input types).
export { Prisma, PrismaClient } from './generated/prisma/client';
export * from './generated/prisma/enums';
export type {
  Customer,
  PhoneNumber,
  NumberRoute,
  TenantCredential,
  Memory,
  CallSummary,
  CallerProfile,
  PersonalityMetric,
  PersonalityAverage,
  Call,
  CallTurn,
  CallMessage,
  NotificationRule,
  WebhookEndpoint,
  NotificationEvent,
  NotificationDelivery,
  SmsMessage,
  SmsOptOut,
  SmsTemplate,
  Membership,
  AuditLog,
  UsageRecord,
  IndustryTemplate,
  IndustryTemplateVersion,
  AdminUser,
  AdminSession,
  AdminRefreshToken,
  AdminPasswordReset,
  TenantInvitation,
  TenantApiKey,
  PlatformAuditLog,
  OnboardingRequest,
} from './generated/prisma/client';
