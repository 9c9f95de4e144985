export { loadEnv, EnvValidationError } from './load-env';
export { port, metricsPort, listenHost, url, logLevel, LOG_LEVELS, jsonString, commaList, booleanFlag } from './env-schemas';
export type { LogLevel } from './env-schemas';
