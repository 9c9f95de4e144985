import { generateServiceKeyPair, createServiceTokenSigner } from '@neurosphere/auth';
import { notificationEventDataSchemas, webhookEnvelopeSchema } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import { createMailer } from '@neurosphere/mail';
import { startFakeServer, startMailCatcher, uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import type { FakeServer, MailCatcher } from '@neurosphere/testing';
import type { Worker } from 'bullmq';
import request from 'supertest';
import { createStaffSms } from '../src/clients/sms-client';
import { startNotificationDispatcher } from '../src/domain/notifications/notification-dispatcher';
import type { NotificationDispatcher } from '../src/domain/notifications/notification-dispatcher';
import { deliverNotification, PermanentDeliveryError } from '../src/domain/notifications/deliver-notification';
import { createNotificationsWorker } from '../src/jobs/notifications-worker';
import { bearer, createAdmin, startHarness } from './harness';
import { verifySignature, webhookCalls } from './webhook-receiver';

/** Polls until `check` returns a value (no fixed sleeps); fails with `what` after the deadline. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('notifications: staff SMS and email, signed webhooks, delivery log, replay, rotation', () => {
  // Declared before the harness: jest runs afterAll hooks in declaration order, and the dispatcher
  // and worker use the harness's database and queue until they stop (a sweep after the harness
  // closed would reopen its database connections and keep jest from exiting).
  afterAll(async () => {
    await dispatcher?.close();
    await worker?.close();
    await Promise.all([mail?.close(), sms?.close(), receiver?.close()]);
  });
  const harness = useHarness(() => startHarness({ notificationRetry: { attempts: 3, backoffMs: 50 } }));
  const logger = createLogger({ service: 'admin-api-test', level: 'silent' });
  let mail: MailCatcher;
  let sms: FakeServer;
  let receiver: FakeServer;
  let worker: Worker;
  let dispatcher: NotificationDispatcher;
  let customerId: number;
  let asOwner: string;
  let webhookId: string;
  let secret: string;
  const staffPhone = uniquePhone();
  const staffEmail = `desk-${Date.now()}@example.test`;
  let receiverStatus = 200;

  beforeAll(async () => {
    [mail, sms, receiver] = await Promise.all([
      startMailCatcher(),
      startFakeServer({ 'POST /v1/messages': (req) => ({ status: 202, body: fakeSmsAnswer(req.body as { to: string; body: string }) }) }),
      startFakeServer({ 'POST /hooks': () => ({ status: receiverStatus, body: { ok: receiverStatus < 300 } }) }),
    ]);
    const keys = await generateServiceKeyPair('admin-api-notifications-test');
    const mailer = createMailer({ transport: { smtp: mail.smtpUrl, from: 'Alerts <alerts@admin.test>', timeoutMs: 5000 }, logger });
    worker = createNotificationsWorker({
      connection: harness.queueRedis,
      prefix: harness.notificationsPrefix,
      logger,
      deps: {
        db: harness.db,
        mailer,
        sms: createStaffSms({
          baseUrl: sms.url,
          signer: createServiceTokenSigner({ issuer: 'admin-api', privateJwk: keys.privateJwk }),
          timeoutMs: 5000,
        }),
        consoleUrl: 'http://console.test',
        webhookTimeoutMs: 2000,
        webhookDestinations: { allowPrivateAddresses: true },
      },
    });
    dispatcher = startNotificationDispatcher({
      db: harness.db,
      listenUrl: requireTestDatabaseEnv().appUrl,
      enqueueDelivery: (payload) => harness.appDeps.notifications!.enqueueDelivery(payload),
      logger,
      pollIntervalMs: 1000,
    });
    ({ customerId } = await createTestTenant(harness.platformDb));
    asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
  });

  function fakeSmsAnswer(body: { to: string; body: string }) {
    const now = new Date().toISOString();
    const message = {
      id: crypto.randomUUID(),
      direction: 'outbound',
      to: body.to,
      from: '+15005550006',
      body: body.body,
      status: 'queued',
      template: null,
      twilio_sid: null,
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
    };
    return { success: true, message };
  }

  const api = (suffix: string) => `/v1/tenants/${customerId}${suffix}`;

  /** What the orchestrator's request_callback tool writes; the database trigger records the event. */
  async function callbackRequested(reason: string): Promise<string> {
    const row = await withTenant(harness.db, customerId, (tx) =>
      tx.callMessage.create({
        data: {
          customerId,
          kind: 'callback',
          callSid: uniqueCallSid(),
          callerNumber: uniquePhone(),
          callerName: 'Pat',
          message: reason,
          callbackTime: 'after 3',
        },
      }),
    );
    return row.id;
  }

  it('sets up rules and a webhook, refusing what is wrong with a 400 naming the field', async () => {
    const badPhone = await request(harness.app)
      .post(api('/notification-rules'))
      .send({ channel: 'sms', target: 'call me', events: ['callback.requested'] })
      .set('authorization', asOwner);
    expect(badPhone.status).toBe(400);
    expect(JSON.stringify(badPhone.body.details)).toContain('target');
    const badEvent = await request(harness.app)
      .post(api('/webhooks'))
      .send({ url: 'ftp://crm.test/x', events: ['call.exploded'] })
      .set('authorization', asOwner);
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.details.map((detail: { path: string }) => detail.path).sort()).toEqual(['body.events.0', 'body.url']);

    for (const [channel, target] of [
      ['sms', staffPhone],
      ['email', staffEmail],
    ] as const) {
      const created = await request(harness.app)
        .post(api('/notification-rules'))
        .send({ channel, target, events: ['callback.requested', 'message.taken'] })
        .set('authorization', asOwner);
      expect(created.status).toBe(201);
      expect(created.body.rule).toMatchObject({ channel, target, events: ['callback.requested', 'message.taken'], enabled: true });
    }
    const webhook = await request(harness.app)
      .post(api('/webhooks'))
      .send({ url: `${receiver.url}/hooks`, events: ['callback.requested'] })
      .set('authorization', asOwner);
    expect(webhook.status).toBe(201);
    expect(webhook.body.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(webhook.body.webhook)).not.toContain(webhook.body.secret);
    ({ secret } = webhook.body);
    webhookId = webhook.body.webhook.id;
  });

  it('texts and mails the staff and calls the webhook, signed, when a callback is requested', async () => {
    const itemId = await callbackRequested('Water leak in the kitchen');
    const [call] = await eventually('the webhook call', () => {
      const calls = webhookCalls(receiver.requests, 'callback.requested');
      return calls.length > 0 && calls;
    });
    expect(verifySignature(call!.rawBody, call!.headers['neurosphere-signature'] as string, secret)).toBe(true);
    expect(verifySignature(call!.rawBody, call!.headers['neurosphere-signature'] as string, 'whsec_wrong')).toBe(false);
    const envelope = webhookEnvelopeSchema.parse(JSON.parse(call!.rawBody));
    expect(envelope).toMatchObject({ type: 'callback.requested', customer_id: customerId });
    expect(notificationEventDataSchemas['callback.requested'].parse(envelope.data).item).toMatchObject({
      id: itemId,
      kind: 'callback',
      caller: { name: 'Pat' },
      reason: 'Water leak in the kitchen',
      callback_time: 'after 3',
      urgency: 'normal',
    });

    const text = await eventually('the staff text', () => sms.requests.find((req) => (req.body as { to?: string }).to === staffPhone));
    expect((text.body as { body: string }).body).toContain('Callback request from Pat');
    expect((text.body as { body: string }).body).toContain('Water leak in the kitchen');
    expect(text.headers.authorization).toMatch(/^Bearer /);
    const mailed = await mail.waitForMail((message) => message.to.includes(staffEmail), 15_000);
    expect(mailed.subject).toContain('Callback request from Pat');
    expect(mailed.text).toContain(`http://console.test/customer/${customerId}/admin/inbox/${itemId}`);

    const log = await eventually('three succeeded deliveries', async () => {
      const response = await request(harness.app)
        .get(api('/notification-deliveries'))
        .query({ status: 'succeeded' })
        .set('authorization', asOwner);
      return response.body.deliveries.length === 3 && response.body.deliveries;
    });
    expect(log.map((delivery: { channel: string }) => delivery.channel).sort()).toEqual(['email', 'sms', 'webhook']);
    expect(
      log.every(
        (delivery: { event_id: string; event_type: string }) =>
          delivery.event_id === envelope.id && delivery.event_type === 'callback.requested',
      ),
    ).toBe(true);
  });

  it('retries a failing webhook, logs the failure, and a manual replay delivers the same event', async () => {
    receiverStatus = 503;
    const before = webhookCalls(receiver.requests, 'callback.requested').length;
    await callbackRequested('Roof quote');
    const failed = await eventually('a failed webhook delivery', async () => {
      const response = await request(harness.app)
        .get(api('/notification-deliveries'))
        .query({ status: 'failed', channel: 'webhook' })
        .set('authorization', asOwner);
      return response.body.deliveries[0];
    });
    expect(failed).toMatchObject({
      attempts: 3,
      response_status: 503,
      last_error: 'the endpoint answered HTTP 503',
      completed_at: expect.any(String),
    });
    expect(webhookCalls(receiver.requests, 'callback.requested').length - before).toBe(3);

    receiverStatus = 200;
    const replay = await request(harness.app)
      .post(api(`/notification-deliveries/${failed.id}/replay`))
      .set('authorization', asOwner);
    expect(replay.status).toBe(202);
    expect(replay.body.delivery).toMatchObject({ status: 'pending', replays: 1 });
    const done = await eventually('the replayed delivery', async () => {
      const response = await request(harness.app)
        .get(api('/notification-deliveries'))
        .query({ channel: 'webhook' })
        .set('authorization', asOwner);
      return response.body.deliveries.find(
        (delivery: { id: string; status: string }) => delivery.id === failed.id && delivery.status === 'succeeded',
      );
    });
    expect(done).toMatchObject({ attempts: 4, response_status: 200, last_error: null });
    const calls = webhookCalls(receiver.requests, 'callback.requested');
    const last = calls[calls.length - 1]!;
    expect(JSON.parse(last.rawBody).id).toBe(failed.event_id);
    expect(verifySignature(last.rawBody, last.headers['neurosphere-signature'] as string, secret)).toBe(true);
  });

  it('rotates the secret: during the grace period both secrets verify, and the rotation is audited', async () => {
    const rotated = await request(harness.app)
      .post(api(`/webhooks/${webhookId}/rotate-secret`))
      .send({ grace_seconds: 3600 })
      .set('authorization', asOwner);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    expect(rotated.body.webhook.previous_secret_expires_at).toEqual(expect.any(String));
    const before = webhookCalls(receiver.requests, 'callback.requested').length;
    await callbackRequested('Gutter cleaning');
    const call = await eventually('a webhook call after the rotation', () => webhookCalls(receiver.requests, 'callback.requested')[before]);
    const header = call.headers['neurosphere-signature'] as string;
    expect(verifySignature(call.rawBody, header, rotated.body.secret)).toBe(true);
    expect(verifySignature(call.rawBody, header, secret)).toBe(true);
    const audit = await withTenant(harness.db, customerId, (tx) =>
      tx.auditLog.findMany({ where: { customerId, target: `webhook:${webhookId}` } }),
    );
    expect(audit.map((row) => row.action).sort()).toEqual(['webhook.created', 'webhook.secret_rotated']);
  });

  it('tells staff when a caller asked for a person, nobody answered and the call ended without a message', async () => {
    const deskPhone = uniquePhone();
    const rule = await request(harness.app)
      .post(api('/notification-rules'))
      .send({ channel: 'sms', target: deskPhone, events: ['transfer.failed'] })
      .set('authorization', asOwner);
    expect(rule.status).toBe(201);
    // The call log as the orchestrator writes it: a row at call start, its outcome when the call ends.
    const [missed, answered] = await withTenant(harness.db, customerId, (tx) =>
      Promise.all(
        [uniquePhone(), uniquePhone()].map((fromNumber) =>
          tx.call.create({ data: { customerId, callSid: uniqueCallSid(), fromNumber, toNumber: '+12015550101' } }),
        ),
      ),
    );
    await withTenant(harness.db, customerId, async (tx) => {
      await tx.call.update({
        where: { customerId_id: { customerId, id: missed!.id } },
        data: { outcome: 'transfer_failed', endedAt: new Date(), durationSeconds: 95 },
      });
      await tx.call.update({
        where: { customerId_id: { customerId, id: answered!.id } },
        data: { outcome: 'transferred', endedAt: new Date() },
      });
    });

    const text = await eventually('the missed-transfer text', () =>
      sms.requests.find((req) => (req.body as { to?: string }).to === deskPhone),
    );
    expect((text.body as { body: string }).body).toBe(
      `A caller (${missed!.fromNumber}) asked for a person, nobody answered the transfer, and they left no message. Please call them back.`,
    );
    const events = await withTenant(harness.db, customerId, (tx) =>
      tx.notificationEvent.findMany({ where: { customerId, type: 'transfer.failed', subjectId: { in: [missed!.id, answered!.id] } } }),
    );
    expect(events.map((event) => event.subjectId)).toEqual([missed!.id]);
    const log = await eventually('the succeeded delivery', async () => {
      const response = await request(harness.app)
        .get(api('/notification-deliveries'))
        .query({ status: 'succeeded', channel: 'sms' })
        .set('authorization', asOwner);
      return response.body.deliveries.find((delivery: { target: string }) => delivery.target === deskPhone);
    });
    expect(log).toMatchObject({ event_type: 'transfer.failed', event_id: events[0]!.id });
  });

  it('refuses at delivery time a webhook whose host is no longer public, without calling it', async () => {
    // A tenant of its own with no rules or webhooks: the dispatcher drops its event, and the event
    // and delivery written here are already dispatched, so only this direct attempt (with the
    // production policy, where DNS may since have turned the host private) ever tries them.
    const { customerId: tenant } = await createTestTenant(harness.platformDb);
    const message = await withTenant(harness.db, tenant, (tx) =>
      tx.callMessage.create({
        data: {
          customerId: tenant,
          kind: 'callback',
          callSid: uniqueCallSid(),
          callerNumber: uniquePhone(),
          callerName: 'Lee',
          message: 'Fence repair',
        },
      }),
    );
    await eventually(
      'the unwanted event dropped',
      async () => (await withTenant(harness.db, tenant, (tx) => tx.notificationEvent.count({ where: { customerId: tenant } }))) === 0,
    );
    const delivery = await withTenant(harness.db, tenant, async (tx) => {
      const endpoint = await tx.webhookEndpoint.create({
        data: { customerId: tenant, url: `${receiver.url}/hooks`, events: ['callback.requested'], secret: 'whsec_test', createdBy: 'test' },
      });
      const event = await tx.notificationEvent.create({
        data: { customerId: tenant, type: 'callback.requested', subjectId: message.id, dispatchedAt: new Date() },
      });
      return tx.notificationDelivery.create({
        data: { customerId: tenant, eventId: event.id, channel: 'webhook', target: endpoint.url, sourceId: endpoint.id },
      });
    });
    const before = receiver.requests.length;

    const attempt = deliverNotification({
      db: harness.db,
      mailer: createMailer({ transport: { smtp: mail.smtpUrl, from: 'Alerts <alerts@admin.test>', timeoutMs: 5000 }, logger }),
      sms: null,
      consoleUrl: 'http://console.test',
      webhookTimeoutMs: 2000,
      webhookDestinations: { allowPrivateAddresses: false },
      customerId: tenant,
      deliveryId: delivery.id,
      replay: 0,
      isLastAttempt: false,
    });

    await expect(attempt).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(receiver.requests.length).toBe(before);
    const logged = await withTenant(harness.db, tenant, (tx) =>
      tx.notificationDelivery.findUnique({ where: { customerId_id: { customerId: tenant, id: delivery.id } } }),
    );
    expect(logged).toMatchObject({ status: 'failed', attempts: 1, completedAt: expect.any(Date) });
    expect(logged?.lastError).toMatch(/^not sent: the host 127\.0\.0\.1 is at 127\.0\.0\.1, which is not a public address/);
  });

  it("answers another tenant's rule, webhook and delivery ids with 404", async () => {
    const { customerId: otherId } = await createTestTenant(harness.platformDb);
    const otherRule = await withTenant(harness.db, otherId, (tx) =>
      tx.notificationRule.create({
        data: { customerId: otherId, channel: 'sms', target: uniquePhone(), events: ['message.taken'], createdBy: 'test' },
      }),
    );
    const responses = [
      await request(harness.app)
        .patch(api(`/notification-rules/${otherRule.id}`))
        .send({ enabled: false })
        .set('authorization', asOwner),
      await request(harness.app)
        .delete(api(`/notification-rules/${otherRule.id}`))
        .set('authorization', asOwner),
      await request(harness.app)
        .post(api(`/webhooks/${otherRule.id}/rotate-secret`))
        .send({})
        .set('authorization', asOwner),
      await request(harness.app)
        .post(api(`/notification-deliveries/${otherRule.id}/replay`))
        .set('authorization', asOwner),
    ];
    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404]);
    const untouched = await withTenant(harness.db, otherId, (tx) =>
      tx.notificationRule.findUnique({ where: { customerId_id: { customerId: otherId, id: otherRule.id } } }),
    );
    expect(untouched?.enabled).toBe(true);
  });
});
