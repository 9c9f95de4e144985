import { startTelemetry } from '@neurosphere/http/telemetry';

// Imported first by main.ts: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) must be in place
// before http, express, pg and ioredis are first required, so nothing else may be imported here.
export const telemetry = startTelemetry({ serviceName: 'gateway' });
