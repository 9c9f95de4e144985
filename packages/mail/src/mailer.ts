import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailTransportConfig } from './mail-env';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text; links on a line of their own, so every mail client makes them clickable. */
  text: string;
  html?: string;
  /** What the mail is (invitation, password_reset, ...): for logs and counters, never the content. */
  kind: string;
}

export type MailResult = { sent: true; messageId: string } | { sent: false; reason: string };

export interface Mailer {
  /** Sends one mail. Never throws: a failure is logged, counted and answered as `{sent: false}`. */
  send(message: MailMessage): Promise<MailResult>;
  /** Whether an SMTP server is configured at all. */
  readonly configured: boolean;
  close(): void;
}

export interface MailerOptions {
  /** null: no SMTP server; every send answers `{sent: false, reason: 'not_configured'}`. */
  transport: MailTransportConfig | null;
  logger: Logger;
  /** Called once per failed send, with the kind of mail (e.g. a prom-client counter's inc). */
  onFailure?: (kind: string) => void;
}

/**
 * The one way services send mail: nodemailer over SMTP. A mail is never worth failing the request
 * that wanted it, so `send` resolves in every case (bounded by the transport's timeouts), and the
 * caller decides what to do instead (e.g. show an invitation link to the admin). Logs carry the
 * kind and the recipient's domain, never the subject or body: those hold one-time links.
 */
export function createMailer(options: MailerOptions): Mailer {
  const { transport: config, logger } = options;
  const transporter: Transporter | null = config
    ? nodemailer.createTransport(
        {
          ...(typeof config.smtp === 'string' ? { url: config.smtp } : config.smtp),
          connectionTimeout: config.timeoutMs,
          greetingTimeout: config.timeoutMs,
          socketTimeout: config.timeoutMs,
        },
        { from: config.from },
      )
    : null;

  return {
    configured: transporter !== null,
    async send(message) {
      const recipientDomain = message.to.split('@').pop() ?? '';
      if (!transporter) {
        options.onFailure?.(message.kind);
        logger.warn(
          { event: 'mail_not_sent', kind: message.kind, recipientDomain, reason: 'not_configured' },
          'mail not sent: no SMTP server configured',
        );
        return { sent: false, reason: 'not_configured' };
      }
      try {
        const info = await transporter.sendMail({ to: message.to, subject: message.subject, text: message.text, html: message.html });
        logger.info({ event: 'mail_sent', kind: message.kind, recipientDomain }, 'mail sent');
        return { sent: true, messageId: info.messageId };
      } catch (error) {
        const reason = describeFailure(error);
        options.onFailure?.(message.kind);
        logger.warn({ event: 'mail_not_sent', kind: message.kind, recipientDomain, reason }, 'mail could not be sent');
        return { sent: false, reason };
      }
    },
    close() {
      transporter?.close();
    },
  };
}

/** nodemailer's error code (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, ...) or the error's name. */
function describeFailure(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.name : 'unknown';
}
