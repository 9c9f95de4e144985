import { createMailer, mailTransportFromEnv, parseMailEnv } from '@neurosphere/mail';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { localDir } from './paths';
import { mailFileName, startLocalMailCatcher } from './mail-catcher';

describe('the local stack mail catcher', () => {
  it('writes each mail to its folder and prints its links', async () => {
    mkdirSync(localDir, { recursive: true });
    const dir = mkdtempSync(path.join(localDir, 'mail-test-'));
    const lines: string[] = [];
    const catcher = await startLocalMailCatcher({ dir, log: (line) => lines.push(line) });
    const mailer = createMailer({ transport: mailTransportFromEnv(parseMailEnv(catcher.env)), logger: pino({ level: 'silent' }) });
    try {
      const link = 'http://localhost:5173/accept-invitation#token=nsi_1-abc_def';
      await expect(
        mailer.send({ to: 'dev@example.test', subject: 'You are invited to the Demo team', text: `Open:\n${link}\n`, kind: 'invitation' }),
      ).resolves.toMatchObject({ sent: true });
      for (let waited = 0; readdirSync(dir).length === 0 && waited < 5000; waited += 50)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const [file] = readdirSync(dir);
      expect(file).toMatch(/-you-are-invited-to-the-demo-team\.txt$/);
      expect(readFileSync(path.join(dir, file as string), 'utf8')).toContain(
        `To: dev@example.test\nSubject: You are invited to the Demo team`,
      );
      expect(lines).toEqual([expect.stringMatching(/^mail to dev@example\.test: "You are invited to the Demo team" \(/), `  ${link}`]);
    } finally {
      mailer.close();
      await catcher.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names files by time and subject', () => {
    expect(mailFileName({ subject: 'Reset your password!', receivedAt: new Date('2026-12-06T10:00:00.000Z') })).toBe(
      '2026-12-06T10-00-00-000Z-reset-your-password.txt',
    );
  });
});
