module.exports = {
  ...require('../jest.config.base.js'),
  // `pnpm bench --smoke` starts its own PostgreSQL and Redis and every benchmark's processes, and
  // the smoke test builds the production artifacts first unless infra's production-build test
  // already did in this run (a cold turbo build on two cores takes minutes).
  testTimeout: 15 * 60_000,
};
