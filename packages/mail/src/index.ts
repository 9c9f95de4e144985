export { mailEnvShape, mailTransportFromEnv, parseMailEnv } from './mail-env';
export type { MailEnv, MailTransportConfig } from './mail-env';
export { createMailer } from './mailer';
export type { Mailer, MailerOptions, MailMessage, MailResult } from './mailer';
