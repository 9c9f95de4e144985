import { CONSOLE_LINK_PATHS } from '@neurosphere/contracts';
import type { Mailer } from '@neurosphere/mail';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import { consoleLink, passwordResetMail } from '../mail/mail-texts';
import { adminActor } from '../shared/actor';
import { formatToken, newSecret, uuidToHex } from '../shared/secret-token';

export interface RequestPasswordResetOptions {
  platformDb: Db;
  mailer: Mailer;
  /** Mails per email address per window: a reset link cannot be used to flood someone's mailbox. */
  mailLimiter: RateLimiterAbstract;
  /** Lower-cased by the contract. */
  email: string;
  consoleUrl: string;
  ttlSeconds: number;
}

/**
 * Mails a one-time reset link when the email has an account, and does nothing visible when it
 * does not: the route answers before this runs, so neither the answer nor its timing tells whether
 * the account exists. Only the token's hash is stored. Audited either way (the platform log says
 * whether an account matched; the caller never learns it).
 */
export async function requestPasswordReset(
  options: RequestPasswordResetOptions,
): Promise<'mailed' | 'no_account' | 'rate_limited' | 'mail_failed'> {
  const { email } = options;
  const { secret, secretHash } = newSecret();
  const expiresAt = new Date(Date.now() + options.ttlSeconds * 1000);

  const reset = await withPlatform(
    options.platformDb,
    { actor: 'anonymous', action: 'admin.password_reset.request', details: { email } },
    async (tx) => {
      const user = await tx.adminUser.findUnique({ where: { email }, select: { id: true } });
      if (!user) return null;
      return tx.adminPasswordReset.create({
        data: { adminUserId: user.id, secretHash, expiresAt },
        select: { id: true, adminUserId: true },
      });
    },
  );
  if (!reset) return 'no_account';

  try {
    await options.mailLimiter.consume(createHash('sha256').update(email).digest('hex'));
  } catch {
    await withPlatform(
      options.platformDb,
      { actor: adminActor(reset.adminUserId), action: 'admin.password_reset.mail_limited', details: { email } },
      async () => undefined,
    );
    return 'rate_limited';
  }
  const link = consoleLink(options.consoleUrl, CONSOLE_LINK_PATHS.resetPassword, formatToken('nsp', uuidToHex(reset.id), secret));
  const mail = await options.mailer.send(passwordResetMail({ to: email, link, validMinutes: Math.round(options.ttlSeconds / 60) }));
  return mail.sent ? 'mailed' : 'mail_failed';
}
