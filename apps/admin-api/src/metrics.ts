import { Counter, Registry } from 'prom-client';

/** admin-api's counters (served at GET /metrics). No label carries a tenant, user or email. */
export interface AdminApiMetrics {
  registry: Registry;
  /** Mails that could not be sent (or no SMTP server is configured), by kind (invitation, password_reset). */
  mailFailed: Counter<'kind'>;
  /** Logins refused because an account or a source address is locked out. */
  loginThrottled: Counter<'limit'>;
}

export function createAdminApiMetrics(registry: Registry = new Registry()): AdminApiMetrics {
  return {
    registry,
    mailFailed: new Counter({
      name: 'mail_send_failed_total',
      help: 'Mails that could not be sent',
      labelNames: ['kind'],
      registers: [registry],
    }),
    loginThrottled: new Counter({
      name: 'admin_login_throttled_total',
      help: 'Logins refused by the per-account or per-address lockout',
      labelNames: ['limit'],
      registers: [registry],
    }),
  };
}
