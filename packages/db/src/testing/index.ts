// @neurosphere/db/testing: helpers for integration tests across the workspace (never imported
// by production code).
export { readTestDatabaseEnv, requireTestDatabaseEnv } from './test-database-env';
export type { TestDatabaseEnv } from './test-database-env';
export {
  TEST_INDUSTRY,
  TEST_TEMPLATE_VERSION,
  uniqueSuffix,
  uniqueE164,
  uniqueCallSid,
  uniqueMessageSid,
  ensureTestTemplateVersion,
  createTestTenant,
  createTestAdminUser,
  createTestCredential,
} from './factories';
export type { TestTenant, TestTenantOverrides, TestAdminUserOverrides } from './factories';
export { createFreshTestDatabase } from './fresh-database';
export type { FreshTestDatabase } from './fresh-database';
