import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { handleShutdownSignals } from './graceful-shutdown';

export interface StartServerOptions {
  app: Express;
  port: number;
  /** Interface to bind; all interfaces by default. */
  host?: string;
  logger: Logger;
  /** Run in order after the last request finished: close pools, queues, Redis. */
  onShutdown?: Array<() => Promise<void>>;
  /** Give up waiting and exit 1 after this long; default 10 000 ms. */
  shutdownTimeoutMs?: number;
  /** Process exit; tests inject their own. */
  exit?: (code: number) => void;
}

export interface RunningServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  /** What SIGTERM/SIGINT trigger; idempotent. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT drains: stops accepting connections, lets in-flight requests
 * finish, runs `onShutdown`, exits 0. If draining takes longer than `shutdownTimeoutMs` it exits 1.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { app, logger } = options;
  const server = createServer(expressMessageClasses(app));
  let draining = false;
  // Registered before the app so it runs first: keep-alive sockets would otherwise stay open
  // after their response while draining.
  server.on('request', (_req, res) => {
    if (draining) res.setHeader('connection', 'close');
  });
  server.on('request', app);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'listening');

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
    steps: [stopAcceptingAndDrain, ...(options.onShutdown ?? [])],
    timeoutMs: options.shutdownTimeoutMs,
    exit: options.exit,
  });
  return { server, port, shutdown };
}

/**
 * Request and response classes whose instances already have the app's prototypes
 * (`app.request`, `app.response`). Express otherwise calls `Object.setPrototypeOf` on every
 * req and res, and V8 then keeps those objects, and everything they reference, alive through
 * young-generation collections until a full collection: measured under 200 req/s, each scavenge
 * copied ~1.5-4 MB and paused the process 6-15 ms (bench/memory-context.ts; docs/benchmarks.md).
 * With the prototype already in place Express's `setPrototypeOf` is a no-op.
 *
 * They are real subclasses (`class extends`), and the app's prototypes become the classes'
 * prototypes, because that is the construction V8 optimizes: a subclass's instances share one
 * hidden class. An earlier version kept Express's objects as prototypes and built with
 * `Reflect.construct(IncomingMessage, args, PlainFunction)`, a new.target V8 cannot cache a map
 * for: in CPU profiles at 200 req/s, `IncomingMessage` and `OutgoingMessage` then took ~45 µs of
 * self time per request each (and the stream and emitter setup they call ~25 µs each), and
 * scavenges still paused 3-8 ms; with subclasses neither shows, and scavenges take 1-3 ms.
 */
function expressMessageClasses(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  app.request = adoptAppPrototype(AppRequest.prototype, app.request);
  app.response = adoptAppPrototype(AppResponse.prototype, app.response);
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as typeof ServerResponse };
}

/**
 * Makes `classPrototype` stand in for one of the app's prototypes: the same parent (Express's
 * request or response methods) and the same own properties (`app`, and anything set on it since).
 */
function adoptAppPrototype<T extends object>(classPrototype: object, appPrototype: T): T {
  Object.setPrototypeOf(classPrototype, Object.getPrototypeOf(appPrototype) as object);
  // Started twice, the app's prototype is the earlier class's: keep this class's own constructor.
  const { constructor: _earlierClass, ...ownProperties }: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(appPrototype);
  Object.defineProperties(classPrototype, ownProperties);
  return classPrototype as T;
}
