module.exports = {
  ...require('../../jest.config.base.js'),
  // Migrates the database named by DATABASE_OWNER_URL once per run (see src/testing/global-setup.ts).
  globalSetup: '<rootDir>/src/testing/global-setup.ts',
};
