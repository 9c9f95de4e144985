import { startMailCatcher } from '@neurosphere/testing';
import type { CaughtMail } from '@neurosphere/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalMailCatcher {
  smtpUrl: string;
  /** What the apps get: mail goes to the catcher. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `2026-12-06T10-00-00-000Z-you-are-invited-to.txt`: sorts by time, says what it is. */
export function mailFileName(mail: Pick<CaughtMail, 'subject' | 'receivedAt'>): string {
  const slug =
    mail.subject
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'mail';
  return `${mail.receivedAt.toISOString().replace(/[:.]/g, '-')}-${slug}.txt`;
}

/**
 * The local stack's mail catcher: an SMTP server on 127.0.0.1 (the one tests use) that the apps
 * send every mail to. Each mail is written to `.local/mail/` as plain text and announced on the
 * console with its links, so a developer can click an invitation or password-reset link.
 */
export async function startLocalMailCatcher(options: { dir: string; log: (line: string) => void }): Promise<LocalMailCatcher> {
  mkdirSync(options.dir, { recursive: true });
  const catcher = await startMailCatcher();
  catcher.onMail((mail) => {
    const file = path.join(options.dir, mailFileName(mail));
    const text = [
      `From: ${mail.from}`,
      `To: ${mail.to.join(', ')}`,
      `Subject: ${mail.subject}`,
      `Date: ${mail.receivedAt.toISOString()}`,
      '',
      mail.text,
    ].join('\n');
    writeFileSync(file, text);
    options.log(`mail to ${mail.to.join(', ')}: "${mail.subject}" (${path.relative(process.cwd(), file)})`);
    for (const link of mail.links) options.log(`  ${link}`);
  });
  return {
    smtpUrl: catcher.smtpUrl,
    env: { SMTP_URL: catcher.smtpUrl, MAIL_FROM: 'Local stack <no-reply@localhost>' },
    close: () => catcher.close(),
  };
}
