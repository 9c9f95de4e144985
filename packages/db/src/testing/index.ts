// @neurosphere/db/testing: the database factories of integration tests across the workspace
// (never imported by production code). Unique ids, phone numbers and ports: @neurosphere/testing.
export { readTestDatabaseEnv, requireTestDatabaseEnv } from './test-database-env';
export type { TestDatabaseEnv } from './test-database-env';
export {
  TEST_INDUSTRY,
  TEST_TEMPLATE_VERSION,
  ensureTestTemplateVersion,
  createTestTenant,
  createTestAdminUser,
  createTestCredential,
} from './factories';
export type { TestTenant, TestTenantOverrides, TestAdminUserOverrides } from './factories';
export { createFreshTestDatabase } from './fresh-database';
export type { FreshTestDatabase } from './fresh-database';
export { createRowFingerprinter } from './row-fingerprint';
export type { RowFingerprinter } from './row-fingerprint';
