module.exports = {
  ...require('../../jest.config.base.js'),
  // Migrates the database named by DATABASE_OWNER_URL once per run (packages/db/jest-migrate-global-setup.cjs).
  globalSetup: require.resolve('@neurosphere/db/jest-migrate-global-setup'),
};
