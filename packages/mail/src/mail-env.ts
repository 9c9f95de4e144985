import { loadEnv, port } from '@neurosphere/config';
import { z } from 'zod';

/**
 * The mail variables, for an app's env.ts to spread into its schema (`...mailEnvShape`) and hand
 * to `mailTransportFromEnv`. Without SMTP_URL or SMTP_HOST no mail is sent: every send answers
 * "not sent", and the features that mail (invitations) give the link to the admin instead.
 */
export const mailEnvShape = {
  // SMTP server as one URL: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465.
  SMTP_URL: z
    .string()
    .url('must be a URL')
    .refine((value) => /^smtps?:\/\//.test(value), 'must start with smtp:// or smtps://')
    .optional(),
  // Or the SMTP server in parts (ignored when SMTP_URL is set): host name.
  SMTP_HOST: z.string().min(1).optional(),
  // SMTP port (587 submission with STARTTLS, 465 with SMTP_SECURE=true, 25 relay).
  SMTP_PORT: port.default(587),
  // SMTP user name, when the server wants one.
  SMTP_USER: z.string().optional(),
  // SMTP password, when the server wants one.
  SMTP_PASSWORD: z.string().optional(),
  // true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it.
  SMTP_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  // How long one send may take (connect, greeting, each reply) before it counts as failed, in ms.
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  // The From of every mail, e.g. "Acme Voice <no-reply@voice.example.com>"; required when SMTP is set.
  MAIL_FROM: z.string().min(3).optional(),
};

const mailEnvSchema = z.object(mailEnvShape);
export type MailEnv = z.output<typeof mailEnvSchema>;

/** Where and how to send, or null when no SMTP server is configured. */
export interface MailTransportConfig {
  /** A smtp(s):// URL, or host + port + credentials. */
  smtp: string | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  from: string;
  timeoutMs: number;
}

/**
 * The transport an app's parsed env describes. Throws (naming the variable) when SMTP is set
 * without MAIL_FROM: mail from a made-up address is worse than a boot that says what is missing.
 */
export function mailTransportFromEnv(env: MailEnv): MailTransportConfig | null {
  if (!env.SMTP_URL && !env.SMTP_HOST) return null;
  if (!env.MAIL_FROM) throw new Error('Invalid environment: MAIL_FROM is required when SMTP_URL or SMTP_HOST is set');
  const auth = env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD ?? '' } : undefined;
  const smtp = env.SMTP_URL ?? { host: env.SMTP_HOST as string, port: env.SMTP_PORT, secure: env.SMTP_SECURE, ...(auth ? { auth } : {}) };
  return { smtp, from: env.MAIL_FROM, timeoutMs: env.SMTP_TIMEOUT_MS };
}

/** Parses just the mail variables (for a CLI or a test that needs nothing else); blank counts as unset. */
export function parseMailEnv(source: Record<string, string | undefined>): MailEnv {
  return loadEnv(mailEnvSchema, source);
}
