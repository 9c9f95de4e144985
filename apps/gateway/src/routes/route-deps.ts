import type { Logger } from '@neurosphere/http';
import type { Request } from 'express';
import type { OrchestratorClient } from '../clients/orchestrator-client';
import type { RelayClient } from '../clients/relay-client';
import type { SmsClient } from '../clients/sms-client';
import type { NumberDirectory } from '../domain/tenant/number-directory';
import type { GatewayMetrics } from '../metrics';

/** What the gateway's routes are built from (see buildApp). */
export interface RouteDeps {
  logger: Logger;
  publicBaseUrl: string;
  platformAuthToken: string;
  numbers: NumberDirectory;
  orchestrator: OrchestratorClient;
  relay: RelayClient;
  sms: SmsClient;
  metrics: GatewayMetrics;
}

/** The request id requestLogger assigned (the caller's x-request-id when sane), forwarded to other services. */
export function requestIdOf(req: Request): string | undefined {
  return req.id === undefined ? undefined : String(req.id);
}

/** The request's logger: it carries requestId and, once known, customer_id. */
export function logOf(req: Request, deps: RouteDeps): Logger {
  return req.log ?? deps.logger;
}
