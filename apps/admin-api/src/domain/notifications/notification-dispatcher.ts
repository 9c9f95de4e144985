import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import { Client } from 'pg';
import type { DeliveryJobPayload } from './dispatch-tenant-events';
import { dispatchTenantEvents } from './dispatch-tenant-events';

/** The channel the event triggers NOTIFY on (migration 20261206500000). */
const EVENTS_CHANNEL = 'notification_events';

export interface NotificationDispatcherOptions {
  db: Db;
  /** DATABASE_URL: a connection of its own LISTENs for new events. */
  listenUrl: string;
  enqueueDelivery(payload: DeliveryJobPayload): Promise<unknown>;
  logger: Logger;
  /** A sweep also runs this often, whatever NOTIFY says (a lost connection misses notifications). */
  pollIntervalMs: number;
}

export interface NotificationDispatcher {
  /** Runs one sweep now (or right after the one in progress). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Moves new events to deliveries as soon as they commit: LISTEN wakes it, a timer sweeps anyway.
 * A sweep asks the database which tenants have new events (notification_tenants_pending: ids
 * only) and dispatches each inside its own tenant. Several admin-api processes may sweep at once:
 * dispatching is idempotent.
 */
export function startNotificationDispatcher(options: NotificationDispatcherOptions): NotificationDispatcher {
  const { db, logger } = options;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listener: Client | null = null;
  let connecting: Promise<void> | null = null;

  async function sweepOnce(): Promise<void> {
    for (;;) {
      const tenants = await db.$queryRaw<{ customer_id: number }[]>`SELECT customer_id FROM notification_tenants_pending()`;
      let handled = 0;
      for (const { customer_id: customerId } of tenants) {
        if (closed) return;
        try {
          handled += await dispatchTenantEvents({ db, customerId, enqueueDelivery: options.enqueueDelivery });
        } catch (error) {
          logger.error({ err: error, customer_id: customerId }, 'dispatching notification events failed; the next sweep retries');
        }
      }
      if (handled === 0 || closed) return;
    }
  }

  function sweep(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await sweepOnce();
        } while (again && !closed);
      } catch (error) {
        logger.error({ err: error }, 'notification sweep failed; the next one retries');
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function listen(): Promise<void> {
    if (closed) return;
    const client = new Client({ connectionString: options.listenUrl });
    client.on('notification', () => void sweep());
    client.on('error', (error) => {
      logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
      listener = null;
      void client.end().catch(() => undefined);
      setTimeout(() => void listen(), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (closed) {
        await client.end();
        return;
      }
      listener = client;
      void sweep();
    } catch (error) {
      logger.warn({ err: error }, 'notification listener could not connect; retrying');
      await client.end().catch(() => undefined);
      setTimeout(() => void listen(), 1000).unref();
    }
  }

  connecting = listen();
  const timer = setInterval(() => void sweep(), options.pollIntervalMs);
  timer.unref();

  return {
    sweep,
    async close() {
      closed = true;
      clearInterval(timer);
      await connecting;
      await running;
      await listener?.end().catch(() => undefined);
    },
  };
}
