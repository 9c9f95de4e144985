import type { MailMessage } from '@neurosphere/mail';

/**
 * The texts of the mails admin-api sends. No product or company name is written here (white
 * label): the tenant's own business name, from the database, is the only name in them. Links sit
 * on a line of their own so every mail client makes them clickable.
 */

export function invitationMail(options: { to: string; businessName: string; role: string; link: string; expiresAt: Date }): MailMessage {
  return {
    kind: 'invitation',
    to: options.to,
    subject: `You are invited to the ${options.businessName} team`,
    text: [
      `You have been invited to join the ${options.businessName} team as ${options.role}.`,
      '',
      'Open this link to accept the invitation (it works once):',
      options.link,
      '',
      `It expires on ${options.expiresAt.toUTCString()}. If you did not expect it, ignore this mail.`,
    ].join('\n'),
  };
}

export function passwordResetMail(options: { to: string; link: string; validMinutes: number }): MailMessage {
  return {
    kind: 'password_reset',
    to: options.to,
    subject: 'Reset your password',
    text: [
      `Someone asked to reset the password of the admin account ${options.to}.`,
      '',
      `Open this link within ${options.validMinutes} minutes to choose a new password (it works once):`,
      options.link,
      '',
      'If it was not you, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}

/** A console link that carries a one-time token in its fragment (never sent to any server). */
export function consoleLink(consoleUrl: string, path: string, token: string): string {
  return `${consoleUrl}${path}#token=${encodeURIComponent(token)}`;
}
