import { createHash } from 'node:crypto';
import type { OnboardTenantRequest, OnboardTenantResponse } from '@neurosphere/contracts';
import { isUniqueViolation, withPlatform } from '@neurosphere/db';
import type { Db, TenantTx } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { z } from 'zod';

/**
 * The onboarding_requests row of one Idempotency-Key: what the finished steps produced (never a
 * secret), who holds the lease, and the answer once done. Each change is its own small audited
 * platform transaction, committed before the next step calls Twilio, so a crash at any point
 * leaves a state a retry can continue from.
 */

/** What the finished steps produced. */
export const onboardingStateSchema = z.object({
  /** The tenant's Twilio account (sub-account or own account) once chosen and checked. */
  account_sid: z.string().optional(),
  /** A sub-account this onboarding created (closed again if the onboarding fails for good). */
  created_subaccount: z.boolean().optional(),
  /** The number about to be bought: a retry looks for it in the account before buying anything. */
  number_chosen: z.string().optional(),
  /** The number acquired, webhooks set. */
  number: z.object({ phone_number: z.string(), twilio_sid: z.string(), origin: z.enum(['bought', 'attached']) }).optional(),
});
export type OnboardingState = z.infer<typeof onboardingStateSchema>;

/** How long one request may run the steps before another request with the key may take over. */
export const ONBOARDING_LEASE_SECONDS = 120;

/** SHA-256 of the document without its secrets: the same key must come with the same document. */
export function onboardingRequestHash(document: OnboardTenantRequest): string {
  const withoutSecrets = {
    ...document,
    twilio_account:
      document.twilio_account.kind === 'byok' ? { ...document.twilio_account, auth_token: '[secret]' } : document.twilio_account,
  };
  return createHash('sha256').update(canonicalJson(withoutSecrets)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export type BeginOutcome = { kind: 'replay'; response: OnboardTenantResponse } | { kind: 'run'; state: OnboardingState; resumed: boolean };

/**
 * Takes the lease of the key's onboarding, creating the row on first use. A finished onboarding
 * answers with its stored response; another document under the same key is a 409; a request
 * holding the lease right now makes this one a 409 with Retry-After. A failed onboarding starts
 * over (its Twilio leftovers were undone when it failed).
 */
export async function beginOnboarding(options: {
  platformDb: Db;
  actor: string;
  idempotencyKey: string;
  requestHash: string;
  checks: (tx: TenantTx) => Promise<void>;
}): Promise<BeginOutcome> {
  const { idempotencyKey, requestHash } = options;
  try {
    return await withPlatform(
      options.platformDb,
      { actor: options.actor, action: 'onboarding.begin', details: { idempotency_key: idempotencyKey } },
      async (tx) => {
        const existing = await tx.onboardingRequest.findUnique({ where: { idempotencyKey } });
        if (existing && existing.requestHash !== requestHash) {
          throw new AppError(
            'CONFLICT',
            `Idempotency-Key ${idempotencyKey} was used for another onboarding document: use a new key for a new onboarding`,
          );
        }
        if (existing?.status === 'completed' && existing.response)
          return { kind: 'replay', response: existing.response as unknown as OnboardTenantResponse };
        await options.checks(tx);
        const leaseExpiresAt = new Date(Date.now() + ONBOARDING_LEASE_SECONDS * 1000);
        if (!existing) {
          await tx.onboardingRequest.create({ data: { idempotencyKey, requestHash, createdBy: options.actor, leaseExpiresAt } });
          return { kind: 'run', state: {}, resumed: false };
        }
        const { count } = await tx.onboardingRequest.updateMany({
          where: { idempotencyKey, OR: [{ leaseExpiresAt: null }, { leaseExpiresAt: { lt: new Date() } }] },
          data: { leaseExpiresAt, status: 'in_progress', ...(existing.status === 'failed' ? { state: {} } : {}) },
        });
        if (count === 0) throw inProgress(idempotencyKey, existing.leaseExpiresAt);
        const state = existing.status === 'failed' ? {} : onboardingStateSchema.parse(existing.state);
        return { kind: 'run', state, resumed: Object.keys(state).length > 0 };
      },
    );
  } catch (error) {
    // Two first requests with one key at the same moment: the second waits for the first.
    if (isUniqueViolation(error)) throw inProgress(idempotencyKey, new Date(Date.now() + ONBOARDING_LEASE_SECONDS * 1000));
    throw error;
  }
}

function inProgress(idempotencyKey: string, leaseExpiresAt: Date | null): AppError {
  const seconds = Math.max(1, Math.ceil(((leaseExpiresAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
  return new AppError(
    'CONFLICT',
    `The onboarding with Idempotency-Key ${idempotencyKey} is running in another request: retry in ${seconds} s`,
    {
      retryAfterSeconds: seconds,
    },
  );
}

/** Records what a step produced (merged into the state), keeping the lease. */
export async function saveOnboardingState(options: {
  platformDb: Db;
  actor: string;
  idempotencyKey: string;
  step: string;
  state: OnboardingState;
}): Promise<void> {
  await withPlatform(
    options.platformDb,
    {
      actor: options.actor,
      action: `onboarding.step.${options.step}`,
      details: { idempotency_key: options.idempotencyKey, state: options.state },
    },
    (tx) => tx.onboardingRequest.update({ where: { idempotencyKey: options.idempotencyKey }, data: { state: options.state } }),
  );
}

/**
 * Ends a run that failed. `resumable`: the state stays and the lease is released, so a retry
 * continues where this one stopped. Otherwise the onboarding is marked failed (its leftovers undone
 * by the caller) and a retry with the key starts over.
 */
export async function endFailedOnboarding(options: {
  platformDb: Db;
  actor: string;
  idempotencyKey: string;
  error: { code: string; message: string };
  resumable: boolean;
  state: OnboardingState;
}): Promise<void> {
  await withPlatform(
    options.platformDb,
    {
      actor: options.actor,
      action: options.resumable ? 'onboarding.interrupted' : 'onboarding.failed',
      details: { idempotency_key: options.idempotencyKey, error: options.error },
    },
    (tx) =>
      tx.onboardingRequest.update({
        where: { idempotencyKey: options.idempotencyKey },
        data: {
          status: options.resumable ? 'in_progress' : 'failed',
          state: options.state,
          lastError: options.error,
          leaseExpiresAt: null,
        },
      }),
  );
}
