import { withPlatform, withTenant } from '@neurosphere/db';
import type { SmsStatus } from '@neurosphere/db';
import { uniqueMessageSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { createSmsTenant, startHarness } from '../../../test/harness';
import type { SmsTenant } from '../../../test/harness';
import { sendQueuedMessage } from './send-queued-message';

// The send job's work, called directly on rows written by the test (no queue involved), to check
// the state machine and the send-time re-checks.
describe('sendQueuedMessage', () => {
  const harness = useHarness(startHarness);

  async function queuedMessage(tenant: SmsTenant, options: { to?: string; status?: SmsStatus; twilioSid?: string } = {}) {
    const to = options.to ?? uniquePhone();
    const message = await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.smsMessage.create({
        data: {
          customerId: tenant.customerId,
          direction: 'outbound',
          fromNumber: tenant.numbers[0]!,
          toNumber: to,
          body: 'queued earlier',
          status: options.status ?? 'queued',
          twilioSid: options.twilioSid ?? null,
        },
      }),
    );
    return { id: message.id, to };
  }

  const run = (tenant: SmsTenant, messageId: string) =>
    sendQueuedMessage(harness.sendDeps, { customerId: tenant.customerId, messageId, isLastAttempt: false });
  const sentTo = (to: string) => harness.fakeTwilio.sentMessages().filter((sent) => sent.to === to);

  it('sends a queued message once; running again is a no-op', async () => {
    const tenant = await createSmsTenant(harness);
    const { id, to } = await queuedMessage(tenant);
    const first = await run(tenant, id);
    expect(first).toEqual({ outcome: 'sent', twilioSid: expect.stringMatching(/^SM/) });
    expect(await run(tenant, id)).toEqual({ outcome: 'skipped' });
    expect(sentTo(to)).toHaveLength(1);
  });

  it('resends a message left "sending" without a SID (a crashed attempt), but never one with a SID', async () => {
    const tenant = await createSmsTenant(harness);
    const crashed = await queuedMessage(tenant, { status: 'sending' });
    expect((await run(tenant, crashed.id)).outcome).toBe('sent');
    const accepted = await queuedMessage(tenant, { status: 'sending', twilioSid: uniqueMessageSid() });
    expect(await run(tenant, accepted.id)).toEqual({ outcome: 'skipped' });
    expect(sentTo(accepted.to)).toEqual([]);
  });

  it('does not send a message of another tenant', async () => {
    const [owner, other] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const { id, to } = await queuedMessage(owner);
    expect(await run(other, id)).toEqual({ outcome: 'skipped' });
    expect(sentTo(to)).toEqual([]);
    expect((await harness.message(owner.customerId, id)).status).toBe('queued');
  });

  it('re-checks the opt-out at send time', async () => {
    const tenant = await createSmsTenant(harness);
    const { id, to } = await queuedMessage(tenant);
    await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.smsOptOut.create({ data: { customerId: tenant.customerId, phone: to, keyword: 'STOP' } }),
    );
    expect(await run(tenant, id)).toMatchObject({ outcome: 'failed', code: 'RECIPIENT_OPTED_OUT' });
    expect(sentTo(to)).toEqual([]);
    expect(await harness.message(tenant.customerId, id)).toMatchObject({ status: 'failed', errorCode: 'RECIPIENT_OPTED_OUT' });
  });

  it('does not send for a suspended tenant or from a number the tenant no longer has', async () => {
    const suspended = await createSmsTenant(harness);
    const queued = await queuedMessage(suspended);
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.suspend', customerId: suspended.customerId }, (tx) =>
      tx.customer.update({ where: { id: suspended.customerId }, data: { status: 'suspended' } }),
    );
    expect(await run(suspended, queued.id)).toMatchObject({ outcome: 'failed', code: 'TENANT_SUSPENDED' });

    const renumbered = await createSmsTenant(harness);
    const orphan = await queuedMessage(renumbered);
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.repurpose_number', customerId: renumbered.customerId }, (tx) =>
      tx.phoneNumber.updateMany({ where: { customerId: renumbered.customerId }, data: { purpose: 'voice' } }),
    );
    expect(await run(renumbered, orphan.id)).toMatchObject({ outcome: 'failed', code: 'NUMBER_NOT_AVAILABLE' });
    expect([...sentTo(queued.to), ...sentTo(orphan.to)]).toEqual([]);
  });

  it('leaves a transiently failed message retryable and records the last error', async () => {
    const tenant = await createSmsTenant(harness);
    const { id } = await queuedMessage(tenant);
    harness.fakeTwilio.queueFailures({ status: 502, body: { code: 20502, message: 'Bad Gateway', status: 502 } });
    await expect(run(tenant, id)).rejects.toMatchObject({ name: 'TransientSendError', code: '20502' });
    expect(await harness.message(tenant.customerId, id)).toMatchObject({
      status: 'sending',
      twilioSid: null,
      errorCode: '20502',
      attempts: 1,
    });
    expect((await run(tenant, id)).outcome).toBe('sent');
    expect(await harness.message(tenant.customerId, id)).toMatchObject({ status: 'sent', errorCode: null, attempts: 2 });
  });
});
