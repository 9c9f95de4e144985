import { freePort, startMailCatcher } from '@neurosphere/testing';
import type { MailCatcher } from '@neurosphere/testing';
import pino from 'pino';
import { Writable } from 'node:stream';
import { mailTransportFromEnv, parseMailEnv } from './mail-env';
import { createMailer } from './mailer';

/** A logger whose lines a test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const SECRET_LINK = 'https://console.example.test/reset-password#token=nsp_secret-part';

describe('mailer (nodemailer over SMTP, against a catcher on 127.0.0.1)', () => {
  let catcher: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher();
  });
  afterAll(() => catcher.close());

  it('sends through an SMTP URL with credentials, and logs neither subject nor body', async () => {
    const { logger, lines } = capturingLogger();
    const url = new URL(catcher.smtpUrl);
    url.username = 'mailer';
    url.password = 'smtp-password';
    const transport = mailTransportFromEnv(parseMailEnv({ SMTP_URL: url.toString(), MAIL_FROM: 'Platform <no-reply@example.test>' }));
    const mailer = createMailer({ transport, logger });
    try {
      const result = await mailer.send({
        to: 'pat@example.test',
        subject: 'Reset your password',
        text: `Open this link:\n${SECRET_LINK}\n`,
        kind: 'password_reset',
      });
      expect(result).toEqual({ sent: true, messageId: expect.any(String) });
      const mail = await catcher.waitForMail((candidate) => candidate.to.includes('pat@example.test'));
      expect(mail).toMatchObject({
        envelope: { from: 'no-reply@example.test', to: ['pat@example.test'] },
        from: '"Platform" <no-reply@example.test>',
        subject: 'Reset your password',
        links: [SECRET_LINK],
        authenticatedAs: 'mailer',
      });
      expect(lines.join('')).toContain('"kind":"password_reset"');
      expect(lines.join('')).not.toMatch(/Reset your password|nsp_secret|smtp-password/);
    } finally {
      mailer.close();
    }
  });

  it('sends through host and port given in parts', async () => {
    const { logger } = capturingLogger();
    const transport = mailTransportFromEnv(
      parseMailEnv({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(catcher.port), MAIL_FROM: 'no-reply@example.test' }),
    );
    const mailer = createMailer({ transport, logger });
    try {
      await expect(mailer.send({ to: 'sam@example.test', subject: 'Hello', text: 'Hi', kind: 'test' })).resolves.toMatchObject({
        sent: true,
      });
      await catcher.waitForMail((candidate) => candidate.to.includes('sam@example.test'));
    } finally {
      mailer.close();
    }
  });

  it('answers "not sent" (and counts it) instead of throwing when the server is down', async () => {
    const { logger, lines } = capturingLogger();
    const failures: string[] = [];
    const transport = mailTransportFromEnv(
      parseMailEnv({ SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, MAIL_FROM: 'no-reply@example.test' }),
    );
    const mailer = createMailer({ transport, logger, onFailure: (kind) => failures.push(kind) });
    try {
      const result = await mailer.send({ to: 'pat@example.test', subject: 'Invitation', text: SECRET_LINK, kind: 'invitation' });
      expect(result).toEqual({ sent: false, reason: 'ESOCKET' });
      expect(failures).toEqual(['invitation']);
      expect(lines.join('')).toContain('"event":"mail_not_sent"');
      expect(lines.join('')).not.toContain('nsp_secret');
    } finally {
      mailer.close();
    }
  });

  it('answers "not sent" when no SMTP server is configured', async () => {
    const failures: string[] = [];
    const mailer = createMailer({
      transport: mailTransportFromEnv(parseMailEnv({})),
      logger: capturingLogger().logger,
      onFailure: (kind) => failures.push(kind),
    });
    expect(mailer.configured).toBe(false);
    await expect(mailer.send({ to: 'pat@example.test', subject: 's', text: 't', kind: 'invitation' })).resolves.toEqual({
      sent: false,
      reason: 'not_configured',
    });
    expect(failures).toEqual(['invitation']);
  });

  it('refuses an SMTP server without MAIL_FROM, and a URL of another scheme', () => {
    expect(() => mailTransportFromEnv(parseMailEnv({ SMTP_URL: 'smtp://127.0.0.1:25' }))).toThrow(
      'MAIL_FROM is required when SMTP_URL or SMTP_HOST is set',
    );
    expect(() => parseMailEnv({ SMTP_URL: 'http://127.0.0.1:25' })).toThrow('must start with smtp:// or smtps://');
  });
});
