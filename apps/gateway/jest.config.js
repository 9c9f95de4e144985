module.exports = {
  ...require('../../jest.config.base.js'),
  // Migrates the database named by DATABASE_OWNER_URL once per run (see test/global-setup.ts).
  globalSetup: '<rootDir>/test/global-setup.ts',
};
