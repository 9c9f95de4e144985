module.exports = {
  ...require('../jest.config.base.js'),
  // `pnpm bench --smoke` starts its own PostgreSQL and Redis and every benchmark's processes.
  testTimeout: 600000,
};
