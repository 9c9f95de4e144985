export { loadEnv, EnvValidationError } from './load-env';
export { port, listenHost, url, logLevel, LOG_LEVELS, jsonString, commaList } from './env-schemas';
export type { LogLevel } from './env-schemas';
