import { uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { createSmsTenant, startHarness } from '../../test/harness';
import type { SmsTenant } from '../../test/harness';

describe('POST /v1/status-callbacks', () => {
  const harness = useHarness(startHarness);

  /** Sends a text and waits until Twilio accepted it; returns our id and Twilio's SID. */
  async function sentMessage(tenant: SmsTenant): Promise<{ id: string; sid: string }> {
    const response = await request(harness.app)
      .post('/v1/messages')
      .set('authorization', `Bearer ${await harness.token('orchestrator', tenant.customerId)}`)
      .send({ to: uniquePhone(), body: 'status test' });
    const id: string = response.body.message.id;
    await harness.waitForSend(tenant.customerId, id);
    const { twilioSid } = await harness.message(tenant.customerId, id);
    return { id, sid: twilioSid! };
  }

  const callback = async (tenant: SmsTenant, body: object) =>
    request(harness.app)
      .post('/v1/status-callbacks')
      .set('authorization', `Bearer ${await harness.token('gateway', tenant.customerId)}`)
      .send(body);

  it('moves a message forward to delivered and never back', async () => {
    const tenant = await createSmsTenant(harness);
    const { id, sid } = await sentMessage(tenant);
    expect((await harness.message(tenant.customerId, id)).status).toBe('sent');

    expect((await callback(tenant, { message_sid: sid, message_status: 'delivered' })).body).toEqual({ success: true, updated: true });
    const delivered = await harness.message(tenant.customerId, id);
    expect(delivered.status).toBe('delivered');
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    // Twilio's callbacks can arrive out of order: a late "sent" or "queued" changes nothing.
    for (const late of ['sent', 'queued', 'sending', 'undelivered']) {
      expect((await callback(tenant, { message_sid: sid, message_status: late })).body).toEqual({ success: true, updated: false });
    }
    expect((await harness.message(tenant.customerId, id)).status).toBe('delivered');
  });

  it("records failed and undelivered with Twilio's error code", async () => {
    const tenant = await createSmsTenant(harness, { smsRateLimitPerMinute: 20 });
    const failed = await sentMessage(tenant);
    const undelivered = await sentMessage(tenant);

    await callback(tenant, { message_sid: failed.sid, message_status: 'failed', error_code: '30008', error_message: 'Unknown error' });
    await callback(tenant, { message_sid: undelivered.sid, message_status: 'undelivered', error_code: '30003' });

    expect(await harness.message(tenant.customerId, failed.id)).toMatchObject({
      status: 'failed',
      errorCode: '30008',
      errorMessage: 'Unknown error',
    });
    expect(await harness.message(tenant.customerId, undelivered.id)).toMatchObject({ status: 'undelivered', errorCode: '30003' });
    expect((await harness.message(tenant.customerId, undelivered.id)).failedAt).toBeInstanceOf(Date);
  });

  it("cannot touch another tenant's message, and ignores unknown SIDs and statuses", async () => {
    const [owner, other] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const { id, sid } = await sentMessage(owner);

    expect((await callback(other, { message_sid: sid, message_status: 'failed', error_code: '30003' })).body).toEqual({
      success: true,
      updated: false,
    });
    expect((await callback(owner, { message_sid: 'SMdoesnotexist', message_status: 'delivered' })).body).toEqual({
      success: true,
      updated: false,
    });
    expect((await callback(owner, { message_sid: sid, message_status: 'partially_delivered' })).body).toEqual({
      success: true,
      updated: false,
    });
    expect((await harness.message(owner.customerId, id)).status).toBe('sent');
  });

  it('answers 400 naming the field, and 403 to callers other than the gateway', async () => {
    const tenant = await createSmsTenant(harness);
    const invalid = await callback(tenant, { message_sid: 'SM1' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toEqual({
      success: false,
      error: 'Invalid body.message_status: Required',
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.message_status', message: 'Required' }],
    });
    // The orchestrator calls sms, but not this route.
    const fromOrchestrator = await request(harness.app)
      .post('/v1/status-callbacks')
      .set('authorization', `Bearer ${await harness.token('orchestrator', tenant.customerId)}`)
      .send({ message_sid: 'SM1', message_status: 'delivered' });
    expect(fromOrchestrator.status).toBe(403);
    expect(fromOrchestrator.body).toEqual({
      success: false,
      error: 'Service orchestrator may not call POST /v1/status-callbacks',
      code: 'FORBIDDEN',
    });
    // memory calls no sms route at all.
    const fromMemory = await request(harness.app)
      .post('/v1/status-callbacks')
      .set('authorization', `Bearer ${await harness.token('memory', tenant.customerId)}`)
      .send({ message_sid: 'SM1', message_status: 'delivered' });
    expect(fromMemory.status).toBe(401);
    expect(fromMemory.body).toEqual({ success: false, error: 'Service token issuer memory is not allowed', code: 'UNAUTHENTICATED' });
  });
});
