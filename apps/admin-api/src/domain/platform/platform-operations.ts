import type { Keyring } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { ProviderKeyChecks } from '../credentials/provider-key-checks';
import type { TwilioProvisioning } from '../twilio/twilio-provisioning';

/**
 * What platform operations (onboarding, numbers, tenant keys, offboarding) need besides the
 * database: Twilio, where the platform is reachable, the keyring that encrypts secrets, and the
 * providers' key checks. The service and the CLIs build it from the same environment.
 */
export interface PlatformOperations {
  twilio: TwilioProvisioning;
  /** PUBLIC_BASE_URL (the gateway's public origin), without a trailing slash; undefined when not configured. */
  publicBaseUrl: string | undefined;
  /** BYOK_KEYS: encrypts tenants' keys and sub-account tokens; undefined when not configured. */
  keyring: Keyring | undefined;
  providerKeys: ProviderKeyChecks;
  /** OFFBOARDING_ARCHIVE_DIR; undefined: only dry runs. */
  offboardingArchiveDir: string | undefined;
  logger: Logger;
}

/** PUBLIC_BASE_URL, or a 503 naming it: webhooks cannot be pointed anywhere without it. */
export function requirePublicBaseUrl(operations: PlatformOperations): string {
  if (!operations.publicBaseUrl)
    throw new AppError('UNAVAILABLE', 'PUBLIC_BASE_URL is not configured on the admin-api: number webhooks cannot be set');
  return operations.publicBaseUrl;
}

/** BYOK_KEYS, or a 503 naming it: secrets are never stored unencrypted. */
export function requireKeyring(operations: Pick<PlatformOperations, 'keyring'>): Keyring {
  if (!operations.keyring)
    throw new AppError('UNAVAILABLE', 'BYOK_KEYS is not configured on the admin-api: secrets cannot be stored or read');
  return operations.keyring;
}
