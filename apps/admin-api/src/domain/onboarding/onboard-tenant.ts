import { createHash } from 'node:crypto';
import type { OnboardTenantRequest, OnboardTenantResponse } from '@neurosphere/contracts';
import { encryptCredentialSecret, withPlatform } from '@neurosphere/db';
import type { Db, TwilioAccountKind } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import { TWILIO_CREDENTIAL_PROVIDER } from '@neurosphere/twilio';
import type { TwilioAccount } from '@neurosphere/twilio';
import { createOwnerInvitation } from '../invitations/create-owner-invitation';
import { acquireNumber } from '../numbers/acquire-number';
import { assignTenantNumber, numberOwner, numberTakenError } from '../numbers/number-records';
import { toTenantNumber } from '../numbers/number-view';
import type { PlatformOperations } from '../platform/platform-operations';
import { requireKeyring, requirePublicBaseUrl } from '../platform/platform-operations';
import { platformTenantInclude, toPlatformTenant } from '../tenants/platform-tenant';
import { describeTwilioAccount } from '../twilio/tenant-twilio-account';
import type { TenantTwilioAccount } from '../twilio/tenant-twilio-account';
import { beginOnboarding, endFailedOnboarding, onboardingRequestHash, saveOnboardingState } from './onboarding-record';
import type { OnboardingState } from './onboarding-record';

export interface OnboardTenantOptions {
  platformDb: Db;
  operations: PlatformOperations;
  /** Who onboards, for every audit row: `admin:<id>` (API) or `cli:<user>`. */
  actor: string;
  idempotencyKey: string;
  document: OnboardTenantRequest;
}

export interface OnboardTenantResult {
  /** 201 for an onboarding done by this request, 200 for a replay of one done before. */
  status: 201 | 200;
  body: OnboardTenantResponse;
}

type Step = 'twilio_account' | 'number' | 'tenant';

/**
 * Brings a business live in one idempotent operation, in this order: its Twilio account (a new
 * sub-account of the platform's, the platform's own, or the tenant's own, checked with Twilio),
 * its number (bought or attached, webhooks pointed at PUBLIC_BASE_URL), then in ONE transaction
 * the tenant, its Twilio credential (encrypted), its number and its owner's invitation.
 *
 * Resuming: each step records what it produced (onboarding_requests.state) before the next one
 * runs, and each looks for its own earlier result before acting: the sub-account by a name derived
 * from the Idempotency-Key, the number by the one recorded as about to be bought. So a retry after
 * a crash or a Twilio outage (503) continues where it stopped and never buys a second number.
 * A permanent failure (Twilio refused: number gone, no funds, wrong credentials; or a conflict)
 * undoes what this onboarding created in Twilio (the number released, the sub-account closed) and
 * marks it failed; the same key then starts over.
 */
export async function onboardTenant(options: OnboardTenantOptions): Promise<OnboardTenantResult> {
  const { platformDb, operations, actor, idempotencyKey, document } = options;
  const publicBaseUrl = requirePublicBaseUrl(operations);
  const keyring = requireKeyring(operations);

  const begun = await beginOnboarding({
    platformDb,
    actor,
    idempotencyKey,
    requestHash: onboardingRequestHash(document),
    checks: async (tx) => {
      const template = await tx.industryTemplateVersion.findUnique({
        where: { industry_version: { industry: document.industry, version: document.template_version } },
        select: { id: true },
      });
      if (!template) {
        throw validationError([
          {
            path: 'body.template_version',
            message: `industry "${document.industry}" has no template version ${document.template_version}`,
          },
        ]);
      }
      // A number a tenant has already is refused before anything is bought or created.
      if (document.number.kind !== 'search' && (await numberOwner(tx, document.number.phone_number)) !== null) {
        throw numberTakenError(document.number.phone_number);
      }
    },
  });
  if (begun.kind === 'replay')
    return { status: 200, body: { ...begun.response, onboarding: { ...begun.response.onboarding, replayed: true, steps_run: [] } } };

  const state: OnboardingState = { ...begun.state };
  const stepsRun: Step[] = [];
  const save = (step: Step) => saveOnboardingState({ platformDb, actor, idempotencyKey, step, state });
  let account: TenantTwilioAccount | undefined;

  try {
    // 1. The Twilio account.
    account = await resolveAccount(operations, document, idempotencyKey, state);
    if (!state.account_sid) {
      state.account_sid = account.account.accountSid;
      stepsRun.push('twilio_account');
      await save('twilio_account');
    }

    // 2. The number, webhooks pointed here.
    if (!state.number) {
      const acquired = await acquireNumber({
        twilio: operations.twilio,
        account,
        choice: document.number,
        publicBaseUrl,
        friendlyName: document.business_name.slice(0, 64),
        boughtBefore: state.number_chosen,
        isTaken: (e164) =>
          withPlatform(
            platformDb,
            { actor, action: 'number.check_taken', details: { phone_number: e164 } },
            async (tx) => (await numberOwner(tx, e164)) !== null,
          ),
        beforeBuying: async (e164) => {
          state.number_chosen = e164;
          await save('number');
        },
      });
      state.number = { phone_number: acquired.incoming.phoneNumber, twilio_sid: acquired.incoming.sid, origin: acquired.origin };
      stepsRun.push('number');
      await save('number');
    }

    // 3. The tenant, its credential, its number and its owner's invitation: one transaction.
    stepsRun.push('tenant');
    const number = state.number;
    const accountKind = account.kind;
    const credential = accountKind === 'platform' ? null : { provider: TWILIO_CREDENTIAL_PROVIDER[accountKind], account: account.account };
    const created = await withPlatform(
      platformDb,
      {
        actor,
        action: 'tenant.onboard',
        details: {
          idempotency_key: idempotencyKey,
          business_name: document.business_name,
          industry: document.industry,
          template_version: document.template_version,
          twilio_account: accountKind,
          phone_number: number.phone_number,
          owner_email: document.owner_email,
        },
      },
      async (tx) => {
        const customer = await tx.customer.create({
          data: {
            businessName: document.business_name,
            agentName: document.agent_name,
            greeting: document.greeting,
            voiceId: document.voice_id ?? null,
            personality: document.personality ?? '',
            industry: document.industry,
            templateVersion: document.template_version,
            transferNumber: document.transfer_number ?? null,
            helpText: document.help_text ?? null,
            smsAiReplyEnabled: document.sms_ai_reply_enabled ?? false,
            twilioAccount: accountKind,
          },
        });
        const customerId = customer.id;
        if (credential) {
          await tx.tenantCredential.create({
            data: {
              customerId,
              provider: credential.provider,
              accountIdentifier: credential.account.accountSid,
              ...encryptCredentialSecret({ customerId, provider: credential.provider, plaintext: credential.account.authToken, keyring }),
              verifiedAt: new Date(),
            },
          });
        }
        const phoneNumber = await assignTenantNumber(tx, {
          customerId,
          e164: number.phone_number,
          purpose: document.number_purpose,
          twilioAccount: accountKind,
          twilioSid: number.twilio_sid,
          origin: number.origin,
          webhooksBaseUrl: publicBaseUrl,
        });
        const invitation = await createOwnerInvitation(tx, { customerId, email: document.owner_email, invitedBy: actor });
        await tx.auditLog.create({
          data: {
            customerId,
            actor,
            action: 'tenant.onboarded',
            target: `customer:${customerId}`,
            details: { phone_number: number.phone_number, owner_email: document.owner_email, twilio_account: accountKind },
          },
        });
        const tenant = toPlatformTenant(await tx.customer.findUniqueOrThrow({ where: { id: customerId }, include: platformTenantInclude }));
        const body: OnboardTenantResponse = {
          success: true,
          tenant,
          twilio_account: { kind: accountKind, account_sid: account!.account.accountSid },
          number: toTenantNumber(phoneNumber, publicBaseUrl),
          owner_invitation: {
            id: invitation.id,
            email: invitation.email,
            role: 'owner',
            expires_at: invitation.expiresAt.toISOString(),
            token: invitation.token,
            mailed: false,
          },
          onboarding: { idempotency_key: idempotencyKey, replayed: false, steps_run: stepsRun },
        };
        // The stored answer is replayed to retries; the invitation's token is shown once only.
        const stored = { ...body, owner_invitation: { ...body.owner_invitation, token: null } };
        await tx.onboardingRequest.update({
          where: { idempotencyKey },
          data: { status: 'completed', customerId, response: stored, leaseExpiresAt: null, state },
        });
        return body;
      },
    );
    operations.logger.info(
      { customer_id: created.tenant.customer_id, idempotency_key: idempotencyKey, steps_run: stepsRun },
      'tenant onboarded',
    );
    return { status: 201, body: created };
  } catch (error) {
    await handleFailure({ ...options, state, account, error });
    throw error;
  }
}

/**
 * The tenant's Twilio account, found again when an earlier attempt made or checked it. A new
 * sub-account is named after the Idempotency-Key, so a retry after a crash between Twilio creating
 * it and the state recording it finds it instead of creating a second one.
 */
async function resolveAccount(
  operations: PlatformOperations,
  document: OnboardTenantRequest,
  idempotencyKey: string,
  state: OnboardingState,
): Promise<TenantTwilioAccount> {
  const { twilio } = operations;
  const choice = document.twilio_account;
  const of = (kind: TwilioAccountKind, account: TwilioAccount): TenantTwilioAccount => ({
    kind,
    account,
    description: describeTwilioAccount(kind),
  });
  switch (choice.kind) {
    case 'platform': {
      if (!twilio.platformAccount)
        throw new AppError(
          'UNAVAILABLE',
          'The platform’s Twilio account is not configured (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN on the admin-api)',
        );
      return of('platform', twilio.platformAccount);
    }
    case 'byok': {
      const account = { accountSid: choice.account_sid, authToken: choice.auth_token };
      if (!state.account_sid) await twilio.checkAccount(account, describeTwilioAccount('byok'));
      return of('byok', account);
    }
    case 'subaccount': {
      if (state.account_sid) {
        const existing = await twilio.fetchSubaccount(state.account_sid);
        return of('subaccount', { accountSid: existing.accountSid, authToken: existing.authToken });
      }
      const friendlyName = subaccountName(idempotencyKey);
      const found = await twilio.findSubaccount(friendlyName);
      const subaccount = found ?? (await twilio.createSubaccount(friendlyName));
      state.created_subaccount = true;
      return of('subaccount', { accountSid: subaccount.accountSid, authToken: subaccount.authToken });
    }
  }
}

/** The sub-account's Twilio friendly name: unique per onboarding, findable by a retry. */
export function subaccountName(idempotencyKey: string): string {
  return `neurosphere-onboarding-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

/**
 * After a failed run: Twilio unreachable, a lease or database problem, anything unexpected →
 * resumable (state kept, lease released). A refusal that a retry would only repeat → undo what
 * this onboarding made in Twilio, then mark it failed. If undoing fails too, it stays resumable,
 * so nothing made is forgotten.
 */
async function handleFailure(
  options: OnboardTenantOptions & { state: OnboardingState; account: TenantTwilioAccount | undefined; error: unknown },
) {
  const { operations, state, account, error, idempotencyKey, platformDb, actor } = options;
  const permanent = error instanceof AppError && error.code !== 'UNAVAILABLE' && error.code !== 'INTERNAL';
  const summary =
    error instanceof AppError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'unexpected error' };
  let resumable = !permanent;
  if (permanent) {
    try {
      if (state.number?.origin === 'bought' && account) {
        await operations.twilio.releaseNumber(account.account, state.number.twilio_sid, account.description);
      }
      if (state.created_subaccount && state.account_sid) await operations.twilio.closeSubaccount(state.account_sid);
    } catch (undoError) {
      operations.logger.error(
        { err: undoError, idempotency_key: idempotencyKey },
        'onboarding failed and undoing its Twilio steps failed too: left resumable',
      );
      resumable = true;
    }
  }
  try {
    await endFailedOnboarding({ platformDb, actor, idempotencyKey, error: summary, resumable, state: resumable ? state : {} });
  } catch (recordError) {
    // The lease expires by itself; the caller still gets the original error.
    operations.logger.error({ err: recordError, idempotency_key: idempotencyKey }, 'could not record the failed onboarding');
  }
}
