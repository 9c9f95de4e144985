import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { createAdmin } from '../harness';
import type { Harness } from '../harness';
import type { SeededTenant } from './fixture-types';

/** A tenant with a call, a caller, usage, an audit entry and an owner: what the admin routes read. */
export async function seedMatrixTenant(harness: Harness, label: string): Promise<SeededTenant> {
  const businessName = `Matrix ${label} ${uniqueSuffix()}`;
  const { customerId } = await createTestTenant(harness.platformDb, { businessName });
  const callerPhone = uniquePhone();
  const callSid = uniqueCallSid();
  const ids = await withTenant(harness.db, customerId, async (tx) => {
    const call = await tx.call.create({
      data: { customerId, callSid, fromNumber: callerPhone, toNumber: uniquePhone(), status: 'completed' },
    });
    await tx.callTurn.create({ data: { customerId, callId: call.id, turnIndex: 0, role: 'user', text: `Hello from ${businessName}` } });
    const caller = await tx.callerProfile.create({
      data: { customerId, userId: callerPhone, name: `Caller of ${businessName}`, callCount: 1 },
    });
    await tx.usageRecord.create({
      data: { customerId, kind: 'call_minutes', quantity: '1', occurredAt: new Date('2026-06-01T00:00:00Z') },
    });
    await tx.auditLog.create({ data: { customerId, actor: 'test', action: 'test.seed', details: { business: businessName } } });
    return { callId: call.id, callerId: caller.id };
  });
  const owner = await createAdmin(harness.platformDb, { password: true, memberships: [{ customerId, role: 'owner' }] });
  return { customerId, businessName, callSid, callerPhone, owner, ...ids, markers: [businessName, callerPhone, callSid, owner.email] };
}
