module.exports = {
  ...require('../jest.config.base.js'),
  // `pnpm bench --smoke` starts its own PostgreSQL and Redis and every benchmark's processes, and
  // idle-memory builds the production artifacts first (a cold turbo build on two cores takes minutes).
  testTimeout: 15 * 60_000,
};
