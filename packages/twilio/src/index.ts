// @neurosphere/twilio: the real `twilio` SDK for any account (platform, sub-account, BYOK), how a
// tenant's account is resolved from tenant_credentials, how failures are sorted, and where Twilio
// calls this platform. Each app keeps one small module of its own on top (sms: sending; admin-api:
// accounts and numbers); the gateway only resolves tokens to check signatures.

export { createTwilioClients } from './twilio-clients';
export type { CreateTwilioClientsOptions, TwilioAccount, TwilioClients } from './twilio-clients';
export { classifyTwilioError } from './twilio-failure';
export type { TwilioFailure } from './twilio-failure';
export { resolveTwilioAccount, twilioCredentialProvider, TWILIO_CREDENTIAL_PROVIDER } from './tenant-twilio-account';
export type { ResolvedTwilioAccount, ResolveTwilioAccountOptions, StoredTwilioCredential } from './tenant-twilio-account';
export { numberWebhooks, TWILIO_WEBHOOK_PATHS } from './webhook-urls';
export type { NumberWebhooks } from './webhook-urls';
