import type { Keyring } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import { createProviderKeyChecks } from '../credentials/provider-key-checks';
import { createTwilioProvisioning } from '../twilio/twilio-provisioning';
import type { PlatformOperations } from './platform-operations';

/** The platform-operation settings of the admin-api's environment (see env.ts). */
export interface PlatformOperationsEnv {
  PUBLIC_BASE_URL?: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_API_BASE_URL?: string;
  TWILIO_TIMEOUT_MS: number;
  OPENAI_BASE_URL?: string;
  ELEVENLABS_BASE_URL?: string;
  OFFBOARDING_ARCHIVE_DIR?: string;
  byokKeyring: Keyring | undefined;
}

/** Builds what platform operations need, for the service (main.ts) and the CLIs alike. */
export function createPlatformOperations(env: PlatformOperationsEnv, logger: Logger): PlatformOperations {
  const platformAccount =
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null;
  return {
    twilio: createTwilioProvisioning({ platformAccount, apiBaseUrl: env.TWILIO_API_BASE_URL, timeoutMs: env.TWILIO_TIMEOUT_MS }),
    publicBaseUrl: env.PUBLIC_BASE_URL,
    keyring: env.byokKeyring,
    providerKeys: createProviderKeyChecks({
      openaiBaseUrl: env.OPENAI_BASE_URL,
      elevenLabsBaseUrl: env.ELEVENLABS_BASE_URL,
      timeoutMs: env.TWILIO_TIMEOUT_MS,
    }),
    offboardingArchiveDir: env.OFFBOARDING_ARCHIVE_DIR,
    logger,
  };
}
