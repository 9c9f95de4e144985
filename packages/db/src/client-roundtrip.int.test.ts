import { uniqueAccountSid, uniqueCallSid, uniqueMessageSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { Client } from 'pg';
import { createDb } from './client/create-db';
import type { Db } from './client/create-db';
import { Prisma } from './generated/prisma/client';
import { withPlatform } from './tenancy/with-platform';
import { withTenant } from './tenancy/with-tenant';
import { createTestAdminUser, createTestTenant, requireTestDatabaseEnv } from './testing';

/**
 * Proves the generated client and the hand-written SQL agree: every model is written with every
 * column set and read back equal (tenant models as the app role inside withTenant, global models
 * as the platform role inside withPlatform), and every model's columns equal its table's columns.
 */

const env = requireTestDatabaseEnv();
let appDb: Db;
let platformDb: Db;
let owner: Client;
let customerId: number;

const covered = new Set<Prisma.ModelName>();
const at = (iso: string) => new Date(iso);

beforeAll(async () => {
  appDb = createDb({ url: env.appUrl, poolMax: 2 });
  platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
  owner = new Client({ connectionString: env.ownerUrl });
  await owner.connect();
  ({ customerId } = await createTestTenant(platformDb));
});

afterAll(async () => {
  await Promise.all([appDb.$disconnect(), platformDb.$disconnect(), owner.end()]);
});

function expectRoundTrip(model: Prisma.ModelName, input: object, created: object, found: object | null): void {
  expect(found).toEqual(created);
  expect(created).toMatchObject(input);
  covered.add(model);
}

describe('tenant-owned models (app role, withTenant)', () => {
  it('PhoneNumber', async () => {
    const input = {
      customerId,
      e164: uniquePhone(),
      purpose: 'sms',
      twilioAccount: 'subaccount',
      twilioSid: `PN${uniqueSuffix()}`,
      origin: 'bought',
      webhooksBaseUrl: 'https://voice.example.com',
      webhooksSetAt: at('2026-03-05T00:00:00.000Z'),
    } as const;
    // Only the platform role routes numbers; the tenant's row must reference its own route.
    await withPlatform(platformDb, { actor: 'test', action: 'test.roundtrip_route' }, (tx) =>
      tx.numberRoute.create({ data: { customerId, e164: input.e164 } }),
    );
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.phoneNumber.create({ data: input });
      const found = await tx.phoneNumber.findUnique({ where: { customerId_e164: { customerId, e164: input.e164 } } });
      expectRoundTrip('PhoneNumber', input, created, found);
    });
  });

  it('TenantCredential', async () => {
    const input = {
      customerId,
      provider: 'twilio',
      accountIdentifier: uniqueAccountSid(),
      secretCiphertext: new Uint8Array([1, 2, 3, 255]),
      secretIv: new Uint8Array(12).fill(7),
      secretAuthTag: new Uint8Array(16).fill(9),
      keyId: 'k1',
      lastFour: 'ab12',
      verifiedAt: at('2026-03-04T00:00:00.000Z'),
    } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.tenantCredential.create({ data: input });
      const found = await tx.tenantCredential.findUnique({
        where: { customerId_provider: { customerId, provider: 'twilio' } },
      });
      expectRoundTrip('TenantCredential', input, created, found);
    });
  });

  it('Memory', async () => {
    const input = {
      customerId,
      userId: uniquePhone(),
      content: 'Has a dog named Rex',
      kind: 'pet',
      metadata: { confidence: 0.9, tags: ['pets'] },
      sourceCallSid: uniqueCallSid(),
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.memory.create({ data: input });
      const found = await tx.memory.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('Memory', input, created, found);
    });
  });

  it('CallSummary', async () => {
    const input = {
      customerId,
      callSid: uniqueCallSid(),
      threadId: `thread_${uniqueSuffix()}`,
      userId: uniquePhone(),
      summary: 'Asked to add a driver',
      keyTopics: ['auto', 'new driver'],
      variables: { city: 'Springfield' },
      profileChanges: [{ field: 'city', action: 'set', value: 'Springfield', reason: 'The caller moved.' }],
      rawTranscript: [{ role: 'user', text: 'Hi' }],
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.callSummary.create({ data: input });
      const found = await tx.callSummary.findUnique({
        where: { customerId_callSid: { customerId, callSid: input.callSid } },
      });
      expectRoundTrip('CallSummary', input, created, found);
    });
  });

  it('CallerProfile', async () => {
    const input = {
      customerId,
      userId: uniquePhone(),
      name: 'Pat',
      variables: { city: 'Springfield', children: ['Ana'] },
      quickBio: 'Pat | Springfield',
      firstCallAt: at('2026-01-02T03:04:05.678Z'),
      lastCallAt: at('2026-02-02T03:04:05.678Z'),
      callCount: 3,
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.callerProfile.create({ data: input });
      const found = await tx.callerProfile.findUnique({
        where: { customerId_userId: { customerId, userId: input.userId } },
      });
      expectRoundTrip('CallerProfile', input, created, found);
    });
  });

  it('PersonalityMetric', async () => {
    const input = { customerId, callSid: uniqueCallSid(), userId: uniquePhone(), scores: { warmth: 80, patience: 55 } };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.personalityMetric.create({ data: input });
      const found = await tx.personalityMetric.findUnique({
        where: { customerId_callSid: { customerId, callSid: input.callSid } },
      });
      expectRoundTrip('PersonalityMetric', input, created, found);
    });
  });

  it('PersonalityAverage', async () => {
    const input = { customerId, userId: uniquePhone(), averages: { warmth: 67.5 }, sampleCount: 2 };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.personalityAverage.create({ data: input });
      const found = await tx.personalityAverage.findUnique({
        where: { customerId_userId: { customerId, userId: input.userId } },
      });
      expectRoundTrip('PersonalityAverage', input, created, found);
    });
  });

  it('CallerContext (read model: written by triggers, read by the client)', async () => {
    const userId = uniquePhone();
    // The triggers refresh it when the writing transaction commits.
    const memory = await withTenant(appDb, customerId, (tx) =>
      tx.memory.create({ data: { customerId, userId, content: 'Has a dog named Rex' } }),
    );
    await withTenant(appDb, customerId, async (tx) => {
      const found = await tx.callerContext.findUnique({ where: { customerId_userId: { customerId, userId } } });
      expect(found).toMatchObject({
        customerId,
        userId,
        context: {
          profile: null,
          summaries: [],
          memories: [{ id: memory.id, content: 'Has a dog named Rex', kind: 'fact' }],
          personality: null,
        },
      });
      expect(found!.updatedAt).toBeInstanceOf(Date);
    });
    covered.add('CallerContext');
  });

  it('Call and CallTurn', async () => {
    const callInput = {
      customerId,
      callSid: uniqueCallSid(),
      fromNumber: uniquePhone(),
      toNumber: uniquePhone(),
      status: 'completed',
      startedAt: at('2026-03-01T10:00:00.000Z'),
      endedAt: at('2026-03-01T10:05:00.000Z'),
      durationSeconds: 300,
      outcome: 'message_taken',
      transcriptSubmittedAt: at('2026-03-01T10:05:01.000Z'),
    };
    await withTenant(appDb, customerId, async (tx) => {
      const call = await tx.call.create({ data: callInput });
      const foundCall = await tx.call.findUnique({
        where: { customerId_callSid: { customerId, callSid: callInput.callSid } },
      });
      expectRoundTrip('Call', callInput, call, foundCall);

      const turnInput = {
        customerId,
        callId: call.id,
        turnIndex: 0,
        role: 'assistant',
        text: 'Hello, how can I help?',
        llmMs: 420,
        ttsMs: 180,
        totalMs: 650,
      } as const;
      const turn = await tx.callTurn.create({ data: turnInput });
      const foundTurn = await tx.callTurn.findUnique({
        where: { customerId_callId_turnIndex: { customerId, callId: call.id, turnIndex: 0 } },
      });
      expectRoundTrip('CallTurn', turnInput, turn, foundTurn);
      const withTurns = await tx.call.findUnique({
        where: { customerId_id: { customerId, id: call.id } },
        include: { turns: true },
      });
      expect(withTurns?.turns).toEqual([turn]);
    });
  });

  it('CallMessage', async () => {
    const input = {
      customerId,
      callSid: uniqueCallSid(),
      kind: 'callback',
      callerNumber: uniquePhone(),
      callerName: 'Lee',
      message: 'Call me about my claim',
      callbackTime: 'tomorrow after 3',
      callbackNumber: uniquePhone(),
      transferFailed: true,
      status: 'done',
      handledAt: at('2026-03-02T09:00:00.000Z'),
      urgency: 'high',
      assigneeId: '00000000-0000-4000-8000-000000000001',
      notes: [{ id: 'n1', author: 'admin:x', body: 'Left a voicemail', created_at: '2026-03-02T09:00:00.000Z' }],
    } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.callMessage.create({ data: input });
      const found = await tx.callMessage.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('CallMessage', input, created, found);
    });
  });

  it('NotificationRule', async () => {
    const input = {
      customerId,
      channel: 'email',
      target: 'desk@example.test',
      events: ['message.taken', 'callback.requested'],
      enabled: false,
      createdBy: 'admin:x',
    } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.notificationRule.create({ data: { ...input, events: [...input.events] } });
      const found = await tx.notificationRule.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('NotificationRule', input, created, found);
    });
  });

  it('WebhookEndpoint', async () => {
    const input = {
      customerId,
      url: 'https://crm.example.test/hooks',
      description: 'CRM',
      events: ['call.completed'],
      enabled: true,
      secret: 'whsec_new',
      previousSecret: 'whsec_old',
      previousSecretExpiresAt: at('2026-03-04T00:00:00.000Z'),
      createdBy: 'admin:x',
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.webhookEndpoint.create({ data: input });
      const found = await tx.webhookEndpoint.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('WebhookEndpoint', input, created, found);
    });
  });

  it('NotificationEvent and NotificationDelivery', async () => {
    const eventInput = {
      customerId,
      type: 'sms.received',
      subjectId: '00000000-0000-4000-8000-000000000002',
      occurredAt: at('2026-03-05T00:00:00.000Z'),
      dispatchedAt: at('2026-03-05T00:00:01.000Z'),
    };
    await withTenant(appDb, customerId, async (tx) => {
      const event = await tx.notificationEvent.create({ data: eventInput });
      const foundEvent = await tx.notificationEvent.findUnique({
        where: { customerId_type_subjectId: { customerId, type: eventInput.type, subjectId: eventInput.subjectId } },
      });
      expectRoundTrip('NotificationEvent', eventInput, event, foundEvent);
      const deliveryInput = {
        customerId,
        eventId: event.id,
        channel: 'webhook',
        target: 'https://crm.example.test/hooks',
        sourceId: '00000000-0000-4000-8000-000000000003',
        status: 'failed',
        attempts: 5,
        replays: 1,
        responseStatus: 503,
        lastError: 'HTTP 503',
        completedAt: at('2026-03-05T00:01:00.000Z'),
      } as const;
      const delivery = await tx.notificationDelivery.create({ data: deliveryInput });
      const foundDelivery = await tx.notificationDelivery.findUnique({
        where: { customerId_eventId_sourceId: { customerId, eventId: event.id, sourceId: deliveryInput.sourceId } },
      });
      expectRoundTrip('NotificationDelivery', deliveryInput, delivery, foundDelivery);
    });
  });

  it('FallbackAnswer', async () => {
    const input = { customerId, callSid: uniqueCallSid(), reason: 'turn_budget_exceeded', occurredAt: at('2026-03-07T00:00:00.000Z') };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.fallbackAnswer.create({ data: input });
      const found = await tx.fallbackAnswer.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('FallbackAnswer', input, created, found);
    });
  });

  it('SupportSession', async () => {
    const input = {
      customerId,
      adminUserId: '00000000-0000-4000-8000-000000000004',
      adminEmail: 'support@platform.test',
      reason: 'Ticket 42: calls are not answered',
      openedAt: at('2026-03-06T00:00:00.000Z'),
      expiresAt: at('2026-03-06T00:30:00.000Z'),
      endedAt: at('2026-03-06T00:10:00.000Z'),
      endedBy: 'admin:owner',
      writesGrantedAt: at('2026-03-06T00:05:00.000Z'),
      writesGrantedBy: 'admin:owner',
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.supportSession.create({ data: input });
      const found = await tx.supportSession.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('SupportSession', input, created, found);
    });
  });

  it('SmsMessage', async () => {
    const input = {
      customerId,
      direction: 'outbound',
      fromNumber: uniquePhone(),
      toNumber: uniquePhone(),
      body: 'Thanks for calling!',
      status: 'undelivered',
      twilioSid: uniqueMessageSid(),
      errorCode: '30003',
      errorMessage: 'Unreachable destination handset',
      idempotencyKey: `missed-call:${uniqueSuffix()}`,
      templateName: 'missed-call-follow-up',
      attempts: 2,
      sentAt: at('2026-03-03T00:00:01.000Z'),
      deliveredAt: at('2026-03-03T00:00:02.000Z'),
      failedAt: at('2026-03-03T00:00:03.000Z'),
      receivedAt: at('2026-03-03T00:00:04.000Z'),
    } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.smsMessage.create({ data: input });
      const found = await tx.smsMessage.findUnique({
        where: { customerId_idempotencyKey: { customerId, idempotencyKey: input.idempotencyKey } },
      });
      expectRoundTrip('SmsMessage', input, created, found);
    });
  });

  it('SmsOptOut', async () => {
    const input = { customerId, phone: uniquePhone(), keyword: 'STOP', optedOutAt: at('2026-03-04T00:00:00.000Z') };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.smsOptOut.create({ data: input });
      const found = await tx.smsOptOut.findUnique({ where: { customerId_phone: { customerId, phone: input.phone } } });
      expectRoundTrip('SmsOptOut', input, created, found);
    });
  });

  it('SmsTemplate', async () => {
    const input = { customerId, name: `follow-up-${uniqueSuffix()}`, body: 'Hi {{name}}' };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.smsTemplate.create({ data: input });
      const found = await tx.smsTemplate.findUnique({ where: { customerId_name: { customerId, name: input.name } } });
      expectRoundTrip('SmsTemplate', input, created, found);
    });
  });

  it('AuditLog', async () => {
    const input = { customerId, actor: 'admin:1', action: 'greeting.update', target: 'customer', details: { from: 'a', to: 'b' } };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.auditLog.create({ data: input });
      const found = await tx.auditLog.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('AuditLog', input, created, found);
    });
  });

  it('UsageRecord', async () => {
    const input = {
      customerId,
      kind: 'call_minutes',
      quantity: new Prisma.Decimal('5.2500'),
      occurredAt: at('2026-03-05T00:00:00.000Z'),
      callSid: uniqueCallSid(),
      idempotencyKey: `usage:${uniqueSuffix()}`,
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.usageRecord.create({ data: input });
      const found = await tx.usageRecord.findUnique({
        where: { customerId_idempotencyKey: { customerId, idempotencyKey: input.idempotencyKey } },
      });
      expect(created.quantity.toString()).toBe('5.25');
      expectRoundTrip('UsageRecord', { ...input, quantity: created.quantity }, created, found);
    });
  });

  it('Membership (with its global AdminUser)', async () => {
    const adminUser = await createTestAdminUser(platformDb);
    const input = { customerId, adminUserId: adminUser.id, role: 'admin' } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.membership.create({ data: input });
      const found = await tx.membership.findUnique({
        where: { customerId_adminUserId: { customerId, adminUserId: adminUser.id } },
      });
      expectRoundTrip('Membership', input, created, found);
    });
  });

  it('TenantInvitation', async () => {
    const input = {
      customerId,
      email: `invitee-${uniqueSuffix()}@test.example`,
      role: 'viewer',
      secretHash: new Uint8Array(32).fill(3),
      invitedBy: 'admin:test',
      expiresAt: at('2030-01-01T00:00:00.000Z'),
      acceptedAt: at('2029-12-01T00:00:00.000Z'),
      revokedAt: null,
    } as const;
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.tenantInvitation.create({ data: input });
      const found = await tx.tenantInvitation.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('TenantInvitation', input, created, found);
    });
  });

  it('TenantApiKey', async () => {
    const input = {
      customerId,
      name: 'CRM sync',
      scopes: ['calls:read', 'callers:read'],
      secretHash: new Uint8Array(32).fill(4),
      createdBy: 'admin:test',
      lastUsedAt: at('2029-12-01T00:00:00.000Z'),
      revokedAt: at('2029-12-02T00:00:00.000Z'),
      revokedBy: 'admin:test',
    };
    await withTenant(appDb, customerId, async (tx) => {
      const created = await tx.tenantApiKey.create({ data: input });
      const found = await tx.tenantApiKey.findUnique({ where: { customerId_id: { customerId, id: created.id } } });
      expectRoundTrip('TenantApiKey', input, created, found);
    });
  });
});

describe('global models (platform role, withPlatform)', () => {
  const audit = { actor: 'test', action: 'test.roundtrip' };

  it('Customer', async () => {
    const { customer } = await createTestTenant(platformDb);
    const input = {
      businessName: `Round Trip ${uniqueSuffix()}`,
      agentName: 'Robin',
      greeting: 'Hello!',
      voiceId: 'voice-1',
      personality: 'Calm',
      industry: customer.industry,
      templateVersion: customer.templateVersion,
      status: 'suspended',
      suspendedMessage: 'We are closed',
      transferNumber: uniquePhone(),
      speechTimeoutSeconds: 7,
      openaiModel: 'gpt-4o-mini',
      helpText: 'Reply STOP to opt out',
      settings: { afterHours: { enabled: true } },
      smsAiReplyEnabled: true,
      smsRateLimitPerMinute: 3,
      language: 'es-US',
      timeZone: 'America/Chicago',
      sayVoice: 'Polly.Lupe-Neural',
      llmTemperature: 0.5,
      callerVerification: 'name',
      emergencyMessage: 'Hang up and dial 911.',
      speechHints: ['deductible', 'escrow'] as string[],
      callSmsTemplate: 'call-follow-up',
      businessHours: { weekly: { mon: [{ open: '09:00', close: '17:00' }] }, holidays: ['2026-12-25'] },
      afterHoursMode: 'messages_only',
      afterHoursGreeting: 'We are closed right now.',
      transferSchedule: [{ days: ['mon'], from: '09:00', to: '12:00', number: uniquePhone() }],
      businessKnowledge: { address: '1 Test Street', services: ['Quotes'], faq: [] },
      twilioAccount: 'subaccount',
    } as const;
    await withPlatform(platformDb, audit, async (tx) => {
      const created = await tx.customer.create({ data: input });
      const found = await tx.customer.findUnique({ where: { id: created.id } });
      expectRoundTrip('Customer', input, created, found);
    });
  });

  it('IndustryTemplate and IndustryTemplateVersion', async () => {
    const industry = `rt-${uniqueSuffix()}`;
    await withPlatform(platformDb, audit, async (tx) => {
      const templateInput = { industry, name: 'Round trip industry' };
      const template = await tx.industryTemplate.create({ data: templateInput });
      expectRoundTrip('IndustryTemplate', templateInput, template, await tx.industryTemplate.findUnique({ where: { industry } }));

      const versionInput = { industry, version: 2, definition: { fields: [] }, publishedAt: at('2026-03-06T00:00:00.000Z') };
      const version = await tx.industryTemplateVersion.create({ data: versionInput });
      const found = await tx.industryTemplateVersion.findUnique({ where: { industry_version: { industry, version: 2 } } });
      expectRoundTrip('IndustryTemplateVersion', versionInput, version, found);
    });
  });

  it('AdminSession, AdminRefreshToken and AdminPasswordReset', async () => {
    const adminUser = await createTestAdminUser(platformDb);
    await withPlatform(platformDb, audit, async (tx) => {
      const sessionInput = {
        adminUserId: adminUser.id,
        transport: 'cookie',
        expiresAt: at('2030-01-01T00:00:00.000Z'),
        lastRefreshedAt: at('2029-12-01T00:00:00.000Z'),
        revokedAt: at('2029-12-02T00:00:00.000Z'),
        revokedReason: 'logout',
      } as const;
      const session = await tx.adminSession.create({ data: sessionInput });
      expectRoundTrip('AdminSession', sessionInput, session, await tx.adminSession.findUnique({ where: { id: session.id } }));

      const tokenInput = {
        sessionId: session.id,
        secretHash: new Uint8Array(32).fill(5),
        expiresAt: at('2030-01-01T00:00:00.000Z'),
        rotatedAt: at('2029-12-01T00:00:00.000Z'),
      };
      const token = await tx.adminRefreshToken.create({ data: tokenInput });
      expectRoundTrip('AdminRefreshToken', tokenInput, token, await tx.adminRefreshToken.findUnique({ where: { id: token.id } }));

      const resetInput = {
        adminUserId: adminUser.id,
        secretHash: new Uint8Array(32).fill(6),
        expiresAt: at('2030-01-01T00:00:00.000Z'),
        usedAt: at('2029-12-01T00:00:00.000Z'),
      };
      const reset = await tx.adminPasswordReset.create({ data: resetInput });
      expectRoundTrip('AdminPasswordReset', resetInput, reset, await tx.adminPasswordReset.findUnique({ where: { id: reset.id } }));
    });
  });

  it('AdminUser', async () => {
    const input = {
      email: `rt-${uniqueSuffix()}@test.example`,
      passwordHash: '$argon2id$v=19$fake',
      isPlatformAdmin: true,
      lastLoginAt: at('2026-03-07T00:00:00.000Z'),
    };
    await withPlatform(platformDb, audit, async (tx) => {
      const created = await tx.adminUser.create({ data: input });
      const found = await tx.adminUser.findUnique({ where: { email: input.email } });
      expectRoundTrip('AdminUser', input, created, found);
    });
  });

  it('OnboardingRequest', async () => {
    const input = {
      idempotencyKey: `rt-${uniqueSuffix()}`,
      requestHash: 'a'.repeat(64),
      status: 'failed',
      state: { subaccount_sid: 'AC1' },
      customerId,
      response: { success: true },
      lastError: { code: 'CONFLICT' },
      leaseExpiresAt: at('2026-03-08T00:00:00.000Z'),
      createdBy: 'admin:1',
    } as const;
    await withPlatform(platformDb, audit, async (tx) => {
      const created = await tx.onboardingRequest.create({ data: input });
      const found = await tx.onboardingRequest.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
      expectRoundTrip('OnboardingRequest', input, created, found);
    });
  });

  it('NumberRoute', async () => {
    const input = { e164: uniquePhone(), customerId, createdAt: at('2026-03-08T00:00:00.000Z') };
    await withPlatform(platformDb, audit, async (tx) => {
      const created = await tx.numberRoute.create({ data: input });
      const found = await tx.numberRoute.findUnique({ where: { e164: input.e164 } });
      expectRoundTrip('NumberRoute', input, created, found);
    });
  });

  it('PlatformAuditLog', async () => {
    const input = { actor: 'admin:2', action: 'tenant.suspend', customerId, details: { why: 'billing' }, reason: 'unpaid' };
    await withPlatform(platformDb, audit, async (tx) => {
      const created = await tx.platformAuditLog.create({ data: input });
      const found = await tx.platformAuditLog.findUnique({ where: { id: created.id } });
      expectRoundTrip('PlatformAuditLog', input, created, found);
    });
  });
});

describe('model columns', () => {
  interface RuntimeModel {
    dbName: string | null;
    fields: { name: string; kind: string; dbName?: string | null }[];
  }

  it('equal the columns of each table', async () => {
    // The generated client's runtime data model: the only place that lists each field's column.
    const { models } = (appDb as unknown as { _runtimeDataModel: { models: Record<string, RuntimeModel> } })._runtimeDataModel;
    expect(Object.keys(models).sort()).toEqual(Object.values(Prisma.ModelName).sort());
    for (const [modelName, model] of Object.entries(models)) {
      const table = model.dbName ?? modelName;
      const fromClient = model.fields
        .filter((field) => field.kind === 'scalar' || field.kind === 'enum')
        .map((field) => field.dbName ?? field.name)
        .sort();
      const { rows } = await owner.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
        [table],
      );
      expect({ table, columns: rows.map((row) => row.column_name).sort() }).toEqual({ table, columns: fromClient });
    }
  });
});

// Runs last (jest runs a file's tests in order): every model of the client was exercised above.
it('covers every model of the generated client', () => {
  expect([...covered].sort()).toEqual(Object.values(Prisma.ModelName).sort());
});
