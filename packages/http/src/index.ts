export { AppError, HTTP_STATUS_BY_CODE } from './errors';
export type { ErrorCode, ErrorBody, ErrorDetail } from './errors';
export { errorHandler, notFoundHandler, toErrorResponse, validationError, zodIssuesToDetails } from './error-handler';
export { createLogger, REDACT_PATHS } from './logger';
export type { CreateLoggerOptions } from './logger';
export { requestLogger, REQUEST_ID_HEADER } from './request-logger';
export { healthRoutes, postgresCheck, redisCheck } from './health';
export type { HealthRoutesOptions, ReadinessCheck } from './health';
export { createServiceApp } from './service-app';
export type { CreateServiceAppOptions, ServiceApp } from './service-app';
export { startServer } from './server';
export { handleShutdownSignals } from './graceful-shutdown';
export type { GracefulShutdownOptions } from './graceful-shutdown';
export type { RunningServer, StartServerOptions } from './server';
export { authenticateService } from './authenticate-service';
export { mountContract } from './contract-endpoints';
export type { ContractImplementation } from './contract-endpoints';
export { runMain } from './run-main';
export { maskPhone } from './mask-phone';
export { createRedis } from './redis';
export type { CreateRedisOptions, RedisClient } from './redis';
export type { Logger } from 'pino';
export { createServiceClient, UpstreamError } from './service-client';
export type {
  ServiceCallScope,
  ServiceClient,
  ServiceClientOptions,
  ServiceRequestInit,
  TenantCallScope,
  UnauthenticatedCallScope,
  UpstreamFailureReason,
} from './service-client';
export { callersOfAnyRoute, requireRouteCaller } from './route-callers';
export type { RouteCallers } from './route-callers';
export {
  histogramOn,
  metricsListener,
  metricsRegistryOf,
  providerTimer,
  requestMetrics,
  Registry,
  startMetricsServer,
  untimed,
} from './metrics';
export type { MetricsServer, Provider, ProviderTimer } from './metrics';
export { currentRequestId, runWithRequestId } from './request-context';
