module.exports = {
  ...require('../jest.config.base.js'),
  // `pnpm eval` starts the platform's apps as child processes (tsx compiles them as they boot, slow on
  // a loaded machine) and plays every scenario's call.
  testTimeout: 450000,
};
