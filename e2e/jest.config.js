module.exports = {
  ...require('../jest.config.base.js'),
  // Migrates the database named by DATABASE_OWNER_URL once per run (see src/support/global-setup.ts).
  globalSetup: '<rootDir>/src/support/global-setup.ts',
  // Multi-service tests: each file spawns the real apps as child processes, so files run one at a time.
  maxWorkers: 1,
  // Child processes boot through tsx, and the memory worker summarizes asynchronously.
  testTimeout: 240000,
};
