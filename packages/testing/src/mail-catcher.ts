import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One mail as the catcher received it. */
export interface CaughtMail {
  /** The SMTP envelope (what the sender's MAIL FROM / RCPT TO said). */
  envelope: { from: string; to: string[] };
  /** Header From, as written. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** Every http(s) URL in the text body, in order. */
  links: string[];
  /** The user name the sender authenticated with, when it did. */
  authenticatedAs: string | null;
  /** The message as sent (RFC 5322). */
  raw: string;
  receivedAt: Date;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>: give it to the mailer as SMTP_URL. */
  smtpUrl: string;
  port: number;
  /** Every mail received so far, oldest first. */
  messages: CaughtMail[];
  /** Resolves with the first mail (already received or still to come) that matches; rejects after `timeoutMs`. */
  waitForMail(predicate: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  /** Called for every mail received from now on. */
  onMail(listener: (mail: CaughtMail) => void): void;
  close(): Promise<void>;
}

const LINK = /https?:\/\/[^\s<>"']+/g;

/**
 * An SMTP server on 127.0.0.1 that keeps what it receives (smtp-server + mailparser): tests point
 * the real mailer (nodemailer) at it and read what arrived, and the local stack runs one so that
 * invitation and reset links can be clicked. No TLS (STARTTLS is not offered, so nodemailer speaks
 * plain SMTP on loopback); any user name and password are accepted.
 */
export async function startMailCatcher(options: { port?: number } = {}): Promise<MailCatcher> {
  const messages: CaughtMail[] = [];
  const listeners: ((mail: CaughtMail) => void)[] = [];

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const text = parsed.text ?? '';
            const mail: CaughtMail = {
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((recipient) => recipient.address),
              },
              from: parsed.from?.text ?? '',
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text,
              html: typeof parsed.html === 'string' ? parsed.html : null,
              links: text.match(LINK) ?? [],
              authenticatedAs: typeof session.user === 'string' ? session.user : null,
              raw: raw.toString('utf8'),
              receivedAt: new Date(),
            };
            messages.push(mail);
            for (const listener of listeners) listener(mail);
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitForMail(predicate, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const index = listeners.indexOf(listener);
          if (index >= 0) listeners.splice(index, 1);
          reject(
            new Error(
              `no matching mail within ${timeoutMs} ms (${messages.length} received: ${messages.map((mail) => mail.subject).join('; ')})`,
            ),
          );
        }, timeoutMs);
        const listener = (mail: CaughtMail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(listener), 1);
          resolve(mail);
        };
        listeners.push(listener);
      });
    },
    onMail(listener) {
      listeners.push(listener);
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return list.flatMap((entry) => entry.value.map((address) => address.address ?? '')).filter(Boolean);
}
