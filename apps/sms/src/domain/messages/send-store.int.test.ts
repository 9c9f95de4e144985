import { withTenant } from '@neurosphere/db';
import { uniquePhone, useHarness } from '@neurosphere/testing';
import { createSmsTenant, startHarness } from '../../../test/harness';
import type { SmsTenant } from '../../../test/harness';
import { createSendStore } from './send-store';

describe('send store (claims and records batched per tenant)', () => {
  const harness = useHarness(startHarness);

  async function queued(tenant: SmsTenant, count: number): Promise<string[]> {
    return withTenant(harness.db, tenant.customerId, async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const message = await tx.smsMessage.create({
          data: {
            customerId: tenant.customerId,
            direction: 'outbound',
            fromNumber: tenant.numbers[0]!,
            toNumber: uniquePhone(),
            body: `batch ${i}`,
            status: 'queued',
          },
        });
        ids.push(message.id);
      }
      return ids;
    });
  }

  it('claims each message of concurrent callers once, also when an id is asked for twice in one batch', async () => {
    const store = createSendStore(harness.db);
    const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const aIds = await queued(a, 3);
    const bIds = await queued(b, 2);
    const claims = await Promise.all([
      ...aIds.map((messageId) => store.claim({ customerId: a.customerId, messageId })),
      store.claim({ customerId: a.customerId, messageId: aIds[0]! }),
      ...bIds.map((messageId) => store.claim({ customerId: b.customerId, messageId })),
      // Another tenant's id is not visible, so not claimable.
      store.claim({ customerId: b.customerId, messageId: aIds[1]! }),
    ]);
    expect(claims.map((claim) => claim.kind)).toEqual(['send', 'send', 'send', 'skip', 'send', 'send', 'skip']);
    expect(claims[0]).toMatchObject({
      kind: 'send',
      accountKind: 'platform',
      credential: null,
      message: { fromNumber: a.numbers[0], body: 'batch 0' },
    });
    const states = await withTenant(harness.db, a.customerId, (tx) =>
      tx.smsMessage.findMany({ where: { customerId: a.customerId }, select: { status: true, attempts: true } }),
    );
    expect(states).toEqual([
      { status: 'sending', attempts: 1 },
      { status: 'sending', attempts: 1 },
      { status: 'sending', attempts: 1 },
    ]);
  });

  it('records SIDs of a batch, never over an existing one', async () => {
    const store = createSendStore(harness.db);
    const tenant = await createSmsTenant(harness);
    const [first, second] = await queued(tenant, 2);
    await Promise.all([
      store.claim({ customerId: tenant.customerId, messageId: first! }),
      store.claim({ customerId: tenant.customerId, messageId: second! }),
    ]);
    await Promise.all([
      store.recordSent({ customerId: tenant.customerId, messageId: first!, twilioSid: 'SM00000000000000000000000000000001', segments: 1 }),
      store.recordSent({ customerId: tenant.customerId, messageId: second!, twilioSid: 'SM00000000000000000000000000000002', segments: 2 }),
    ]);
    await store.recordSent({
      customerId: tenant.customerId,
      messageId: first!,
      twilioSid: 'SM0000000000000000000000000000000f',
      segments: 3,
    });
    expect(await harness.message(tenant.customerId, first!)).toMatchObject({
      status: 'sent',
      twilioSid: 'SM00000000000000000000000000000001',
    });
    expect(await harness.message(tenant.customerId, second!)).toMatchObject({
      status: 'sent',
      twilioSid: 'SM00000000000000000000000000000002',
    });
    expect((await harness.message(tenant.customerId, second!)).sentAt).toBeInstanceOf(Date);
    // Each sent message's segments are metered once, the second record of `first` included.
    const usage = await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.usageRecord.findMany({ where: { customerId: tenant.customerId, kind: 'sms_segments_out' }, orderBy: { quantity: 'asc' } }),
    );
    expect(usage.map((record) => [record.idempotencyKey, Number(record.quantity)])).toEqual([
      [`sms-out:${first!}`, 1],
      [`sms-out:${second!}`, 2],
    ]);
  });
});
