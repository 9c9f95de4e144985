import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { assignPhoneNumber, withPlatform } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { createTestCredential } from '@neurosphere/db/testing';
import { uniqueAccountSid, uniqueCallSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';

// Two fictional businesses in two industries. Everything company-specific lives here, in test
// fixtures, never in the platform's code. Industry keys carry a per-run suffix, so the templates
// this run publishes cannot collide with the seed's or another run's.

export interface TenantFixture {
  /** Words that must appear in this tenant's prompts and speech, and never in the other's. */
  markers: {
    businessName: string;
    agentName: string;
    templateRole: string;
    memoryNote: string;
    previousSummary: string;
    callerName: string;
  };
  greeting: string;
  voiceId: string;
  template: IndustryTemplateDefinition;
  /** Set once created. */
  customerId: number;
  number: string;
  /** The Twilio token that signs this number's webhooks (platform's or the tenant's own). */
  twilioAuthToken: string;
}

export function insuranceFixture(suffix: string): Omit<TenantFixture, 'customerId' | 'number' | 'twilioAuthToken'> {
  const templateRole = 'You answer the phone for an independent insurance agency that handles auto and home policies.';
  return {
    markers: {
      businessName: 'Harborline Insurance',
      agentName: 'Priya',
      templateRole,
      memoryNote: 'Has a 2019 Subaru Outback on the auto policy',
      previousSummary: 'Asked about adding a teenage driver to the policy',
      callerName: 'Dana Whitfield',
    },
    greeting: 'Thank you for calling Harborline Insurance, this is Priya. How can I help you today?',
    voiceId: `voice-insurance-${suffix}`,
    template: {
      industry: `e2e-insurance-${suffix}`,
      version: 1,
      name: 'Insurance agency (e2e)',
      fields: [
        { key: 'city', label: 'City', type: 'string', hint: 'The city the caller lives in.' },
        { key: 'policies', label: 'Policies', type: 'string[]', hint: 'Policy types the caller holds or asks about.' },
      ],
      promptFragments: {
        role: templateRole,
        guidelines: ['Never quote prices; offer a callback from a licensed agent.'],
        knownFactsIntro: 'What you already know about this client:',
      },
      quickBio: { format: '{{name}} | {{city}}' },
    },
  };
}

export function realEstateFixture(suffix: string): Omit<TenantFixture, 'customerId' | 'number' | 'twilioAuthToken'> {
  const templateRole = 'You answer the phone for a residential real estate brokerage that lists and sells homes.';
  return {
    markers: {
      businessName: 'Cedar Grove Realty',
      agentName: 'Marcus',
      templateRole,
      memoryNote: 'Looking for a three-bedroom house near Maple Elementary',
      previousSummary: 'Toured the listing at 14 Birch Lane',
      callerName: 'Dee Whitfield-Ross',
    },
    greeting: 'Hi, Cedar Grove Realty, Marcus speaking. Are you buying or selling?',
    voiceId: `voice-realestate-${suffix}`,
    template: {
      industry: `e2e-real-estate-${suffix}`,
      version: 1,
      name: 'Real estate agency (e2e)',
      fields: [
        { key: 'buyer_or_seller', label: 'Buyer or seller', type: 'string', hint: 'One of: buyer, seller, both.' },
        { key: 'budget', label: 'Budget', type: 'number', hint: 'Maximum price in dollars.' },
      ],
      promptFragments: {
        role: templateRole,
        guidelines: ['Find out whether the caller is buying or selling, and their timeline.'],
      },
      quickBio: { format: '{{name}} | {{buyer_or_seller}}' },
    },
  };
}

/** A third business, only to warm the freshly started apps up before the calls that are checked. */
export function warmUpFixture(suffix: string): Omit<TenantFixture, 'customerId' | 'number' | 'twilioAuthToken'> {
  const templateRole = 'You answer the phone for a bicycle repair shop.';
  return {
    markers: {
      businessName: 'Spoke and Chain Repairs',
      agentName: 'Quinn',
      templateRole,
      memoryNote: 'Rides a red touring bike',
      previousSummary: 'Asked about a tune-up',
      callerName: 'Avery Stone',
    },
    greeting: 'Spoke and Chain Repairs, Quinn here.',
    voiceId: `voice-warmup-${suffix}`,
    template: {
      industry: `e2e-warmup-${suffix}`,
      version: 1,
      name: 'Bicycle shop (e2e warm-up)',
      fields: [{ key: 'bike', label: 'Bike', type: 'string', hint: 'The caller bike.' }],
      promptFragments: { role: templateRole, guidelines: ['Be brief.'] },
      quickBio: { format: '{{name}} | {{bike}}' },
    },
  };
}

/**
 * Onboards a tenant the way the platform does (withPlatform, audited): its template version, the
 * customer row, its number (on the platform's Twilio account, or on its own with the token stored
 * encrypted), and what memory already knows about `callerPhone` from an earlier call.
 */
export async function createTenant(options: {
  platformDb: Db;
  fixture: Omit<TenantFixture, 'customerId' | 'number' | 'twilioAuthToken'>;
  callerPhone: string;
  /** Put the number on the tenant's own Twilio account (BYOK) with this token. */
  byok?: { authToken: string; keyring: Keyring };
  platformAuthToken: string;
  /** How its calls are answered (default: the database default, `gather`). */
  voiceMode?: 'gather' | 'relay';
}): Promise<TenantFixture> {
  const { fixture, callerPhone } = options;
  const number = uniquePhone();
  const customerId = await withPlatform(
    options.platformDb,
    { actor: 'e2e', action: 'tenant.create', reason: 'e2e test tenant' },
    async (tx) => {
      await tx.industryTemplate.create({ data: { industry: fixture.template.industry, name: fixture.template.name } });
      await tx.industryTemplateVersion.create({
        data: { industry: fixture.template.industry, version: 1, publishedAt: new Date(), definition: fixture.template },
      });
      const customer = await tx.customer.create({
        data: {
          businessName: `${fixture.markers.businessName} ${uniqueSuffix()}`,
          agentName: fixture.markers.agentName,
          greeting: fixture.greeting,
          voiceId: fixture.voiceId,
          personality: `Friendly and precise, as ${fixture.markers.agentName} always is.`,
          industry: fixture.template.industry,
          templateVersion: 1,
          speechTimeoutSeconds: 3,
          // These tenants let the number alone unlock what memory knows (these tests are about which
          // tenant's memory reaches which call; verification has its own tests in the orchestrator).
          callerVerification: 'none',
          ...(options.voiceMode ? { voiceMode: options.voiceMode } : {}),
        },
      });
      await assignPhoneNumber(tx, { customerId: customer.id, e164: number, twilioAccount: options.byok ? 'byok' : 'platform' });
      if (options.byok) {
        await createTestCredential(tx, {
          customerId: customer.id,
          provider: 'twilio',
          secret: options.byok.authToken,
          keyring: options.byok.keyring,
          accountIdentifier: uniqueAccountSid(),
        });
      }
      // What an earlier call taught memory about this caller, for this tenant only.
      await tx.callerProfile.create({
        data: {
          customerId: customer.id,
          userId: callerPhone,
          name: fixture.markers.callerName,
          callCount: 1,
          firstCallAt: new Date(Date.now() - 86_400_000),
          lastCallAt: new Date(Date.now() - 86_400_000),
        },
      });
      await tx.memory.create({ data: { customerId: customer.id, userId: callerPhone, content: fixture.markers.memoryNote } });
      await tx.callSummary.create({
        data: {
          customerId: customer.id,
          callSid: uniqueCallSid(),
          userId: callerPhone,
          summary: fixture.markers.previousSummary,
          keyTopics: ['earlier call'],
        },
      });
      return customer.id;
    },
  );
  return { ...fixture, customerId, number, twilioAuthToken: options.byok?.authToken ?? options.platformAuthToken };
}
