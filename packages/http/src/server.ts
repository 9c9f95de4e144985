import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { handleShutdownSignals } from './graceful-shutdown';
import { metricsRegistryOf, startMetricsServer } from './metrics';

export interface StartServerOptions {
  app: Express;
  port: number;
  /** Interface to bind; loopback (127.0.0.1) by default, never every interface by accident. */
  host?: string;
  logger: Logger;
  /** Run in order after the last request finished: close pools, queues, Redis. */
  onShutdown?: Array<() => Promise<void>>;
  /** Give up waiting and exit 1 after this long; default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** Process exit; tests inject their own. */
  exit?: (code: number) => void;
  /**
   * METRICS_PORT: serve the app's metrics registry (createServiceApp's) at GET /metrics on this
   * port of the same host, apart from the app's port; no listener when undefined. Closed last on
   * shutdown, so the final counts can still be scraped while draining.
   */
  metricsPort?: number | undefined;
}

export interface RunningServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  /** The metrics listener's bound port, when there is one. */
  metricsPort: number | undefined;
  /** What SIGTERM/SIGINT trigger; idempotent. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT drains: stops accepting connections, lets in-flight requests
 * finish, runs `onShutdown`, exits 0. If draining takes longer than `shutdownTimeoutMs` it exits 1.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, logger } = options;
  const server = createServer(app);
  let draining = false;
  // Runs before the app: keep-alive sockets would otherwise stay open after their response while draining.
  server.prependListener('request', (_req, res) => {
    if (draining) res.setHeader('connection', 'close');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, host: options.host ?? '127.0.0.1' }, 'listening');
  const metricsServer =
    options.metricsPort === undefined
      ? undefined
      : await startMetricsServer({ registry: metricsRegistryOf(app), port: options.metricsPort, host: options.host, logger });

  const stopAcceptingAndDrain = async () => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A request already in flight keeps its keep-alive socket; close sockets as they turn idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    await closed;
    clearInterval(sweep);
  };
  const shutdown = handleShutdownSignals({
    logger,
    steps: [stopAcceptingAndDrain, ...(options.onShutdown ?? []), ...(metricsServer ? [() => metricsServer.close()] : [])],
    timeoutMs: options.shutdownTimeoutMs,
    exit: options.exit,
  });
  return { server, port, metricsPort: metricsServer?.port, shutdown };
}
