import type { MembershipRoleName } from '@neurosphere/contracts';
import { withPlatform, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestAdminUser, createTestTenant } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { hash } from 'argon2';
import { randomBytes } from 'node:crypto';

export interface SeededTenant {
  customerId: number;
  businessName: string;
  callerPhone: string;
  /** The call with a transcript and a summary. */
  callId: string;
  summary: string;
  /** The callback request taken on that call (as the orchestrator's take-a-message tool writes it). */
  inboxItemId: string;
  inboxReason: string;
}

/** The month the seeded usage records fall in (a fixed one, so the test does not depend on today). */
export const SEEDED_USAGE_MONTH = { from: '2026-01-01', to: '2026-02-01' } as const;

/** A tenant with one answered, summarized call from a known caller (what the calls pages show). */
export async function seedTenant(platformDb: Db, db: Db): Promise<SeededTenant> {
  const { customerId, customer } = await createTestTenant(platformDb);
  const callerPhone = uniquePhone();
  const callSid = uniqueCallSid();
  const summary = `Pat asked for a callback about a home insurance quote (${randomBytes(3).toString('hex')})`;
  const inboxReason = `A quote for home insurance (${randomBytes(3).toString('hex')})`;
  const { callId, inboxItemId } = await withTenant(db, customerId, async (tx) => {
    const call = await tx.call.create({
      data: {
        customerId,
        callSid,
        fromNumber: callerPhone,
        toNumber: uniquePhone(),
        status: 'completed',
        outcome: 'message_taken',
        startedAt: new Date(Date.now() - 10 * 60_000),
        endedAt: new Date(Date.now() - 8 * 60_000),
        durationSeconds: 95,
      },
    });
    await tx.callTurn.createMany({
      data: [
        { customerId, callId: call.id, turnIndex: 0, role: 'assistant', text: customer.greeting },
        { customerId, callId: call.id, turnIndex: 1, role: 'user', text: 'Hi, this is Pat. Can someone call me back about a quote?' },
        {
          customerId,
          callId: call.id,
          turnIndex: 2,
          role: 'assistant',
          text: 'Of course, Pat. I will pass that on.',
          llmMs: 420,
          ttsMs: 180,
          totalMs: 650,
        },
      ],
    });
    await tx.callSummary.create({
      data: { customerId, callSid, userId: callerPhone, summary, keyTopics: ['quote', 'callback'], variables: { city: 'Springfield' } },
    });
    await tx.callerProfile.create({
      data: {
        customerId,
        userId: callerPhone,
        name: 'Pat',
        quickBio: 'Pat | Springfield',
        callCount: 1,
        lastCallAt: call.startedAt,
        firstCallAt: call.startedAt,
      },
    });
    await tx.usageRecord.createMany({
      data: [
        { customerId, kind: 'call_minutes', quantity: 2, occurredAt: new Date('2026-01-15T10:00:00Z'), callSid },
        { customerId, kind: 'tts_chars', quantity: 840, occurredAt: new Date('2026-01-15T10:00:00Z'), callSid },
      ],
    });
    // The row the orchestrator's recordCallerMessage writes when the caller asks to be called back.
    const message = await tx.callMessage.create({
      data: {
        customerId,
        callSid,
        kind: 'callback',
        callerNumber: callerPhone,
        callerName: 'Pat',
        message: inboxReason,
        callbackTime: 'tomorrow after 3',
      },
    });
    return { callId: call.id, inboxItemId: message.id };
  });
  return { customerId, businessName: customer.businessName, callerPhone, callId, summary, inboxItemId, inboxReason };
}

export interface SeededAdmin {
  email: string;
  password: string;
}

/** An admin with a password (argon2, as admin-api stores it) and memberships. */
export async function seedAdmin(
  platformDb: Db,
  options: { memberships?: { customerId: number; role: MembershipRoleName }[]; isPlatformAdmin?: boolean } = {},
): Promise<SeededAdmin> {
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const user = await createTestAdminUser(platformDb, {
    isPlatformAdmin: options.isPlatformAdmin ?? false,
    passwordHash: await hash(password),
  });
  const memberships = options.memberships ?? [];
  if (memberships.length > 0) {
    await withPlatform(platformDb, { actor: 'test', action: 'test.create_memberships' }, (tx) =>
      tx.membership.createMany({ data: memberships.map((m) => ({ customerId: m.customerId, adminUserId: user.id, role: m.role })) }),
    );
  }
  return { email: user.email, password };
}
