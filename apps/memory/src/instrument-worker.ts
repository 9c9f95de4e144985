import { startTelemetry } from '@neurosphere/http/telemetry';

// Imported first by worker.ts (see instrument.ts): its job spans continue the trace that queued them.
export const telemetry = startTelemetry({ serviceName: 'memory-worker' });
