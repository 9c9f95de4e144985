module.exports = {
  ...require('../../jest.config.base.js'),
  testMatch: ['<rootDir>/server/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  // The browser tests build the console and start admin-api once per file: minutes, not seconds.
  testTimeout: 120000,
  // Each browser file starts its own stack of processes and a Chromium: one file at a time.
  maxWorkers: 1,
};
