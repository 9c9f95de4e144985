import type { CallInstructions } from '@neurosphere/contracts';
import type { CallSettings } from '../call-runtime/call-runtime';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';

type GatherStep = Extract<CallInstructions['next'], { type: 'gather' }>;

/** Twilio takes hints as phrases of up to 100 characters; a few dozen help, hundreds only slow recognition. */
const MAX_HINTS = 50;

/**
 * How the gateway's <Gather> listens for the caller's next words. The pause that ends a turn is
 * the platform's (GATHER_SPEECH_TIMEOUT: `auto`, or seconds where a speech model needs a number),
 * kept apart from how long the caller may take to start (the tenant's speech_timeout_seconds).
 * Recognition gets the tenant's language and hints (its business and agent names, the template's
 * industry words, its own words), and the keypad is accepted too.
 */
export function listenStep(
  tenant: Pick<TenantSnapshot, 'speechTimeoutSeconds' | 'language' | 'businessName' | 'agentName' | 'speechHints'>,
  settings: Pick<CallSettings, 'gather'>,
  options: { numDigits?: number } = {},
): GatherStep {
  const { speechModel, speechTimeout } = settings.gather;
  return {
    type: 'gather',
    // What a gateway that knows only this field renders as both timeouts.
    speech_timeout_seconds: tenant.speechTimeoutSeconds,
    timeout_seconds: tenant.speechTimeoutSeconds,
    speech_timeout: speechTimeout,
    ...(speechModel ? { speech_model: speechModel } : {}),
    // Twilio's phone_call model is its premium telephony model only with enhanced="true".
    ...(speechModel === 'phone_call' ? { enhanced: true } : {}),
    language: tenant.language,
    hints: speechHintsFor(tenant),
    dtmf: true,
    ...(options.numDigits ? { num_digits: options.numDigits } : {}),
  };
}

/** The words recognition should expect on either voice path. */
export function speechHintsFor(tenant: Pick<TenantSnapshot, 'businessName' | 'agentName' | 'speechHints'>): string[] {
  const hints = [tenant.businessName, tenant.agentName, ...tenant.speechHints].map((hint) => hint.trim().slice(0, 100)).filter(Boolean);
  return [...new Set(hints)].slice(0, MAX_HINTS);
}
