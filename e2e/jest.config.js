module.exports = {
  ...require('../jest.config.base.js'),
  // Migrates the database named by DATABASE_OWNER_URL once per run (packages/db/jest-migrate-global-setup.cjs).
  globalSetup: require.resolve('@neurosphere/db/jest-migrate-global-setup'),
  // Multi-service tests: each file spawns the real apps as child processes, so files run one at a time.
  maxWorkers: 1,
  // Child processes boot through tsx, and the memory worker summarizes asynchronously.
  testTimeout: 240000,
};
