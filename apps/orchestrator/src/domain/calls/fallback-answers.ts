import type { CallInstructions } from '@neurosphere/contracts';
import type { CallSettings } from '../call-runtime/call-runtime';
import { PLATFORM_PHRASES } from '../conversation/platform-phrases';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';
import { listenStep } from './listen-step';

/** `<Say>` in the tenant's fallback voice and language (Twilio's default voice when the tenant is unknown). */
function sayAs(tenant: Pick<TenantSnapshot, 'sayVoice' | 'language'> | null, text: string): CallInstructions['speak'][number] {
  if (!tenant) return { type: 'say', text };
  return { type: 'say', text, language: tenant.language, ...(tenant.sayVoice ? { voice: tenant.sayVoice } : {}) };
}

/**
 * The answer when the call cannot go on (no call state, no tenant settings): `<Say>` only, since
 * audio needs the Redis that may be what failed. Transfer when there is a number to transfer to, else hang up.
 */
export function cannotContinueAnswer(transferNumber: string | null | undefined, tenant: TenantSnapshot | null = null): CallInstructions {
  if (transferNumber) {
    return { speak: [sayAs(tenant, PLATFORM_PHRASES.unavailableTransfer)], next: { type: 'transfer', number: transferNumber } };
  }
  return { speak: [sayAs(tenant, PLATFORM_PHRASES.unavailableGoodbye)], next: { type: 'hangup' } };
}

/** The answer when a turn ran out of time: an apology for our delay and another chance to speak. */
export function retryAnswer(tenant: TenantSnapshot, settings: Pick<CallSettings, 'gather'>): CallInstructions {
  return { speak: [sayAs(tenant, PLATFORM_PHRASES.retryAfterFailure)], next: listenStep(tenant, settings) };
}
