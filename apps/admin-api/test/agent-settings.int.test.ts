import { encodeSpeechTextHeader } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import type { Express } from 'express';
import request from 'supertest';
import { buildApp } from '../src/app';
import { bearer, createAdmin, startFakeOrchestrator, startHarness } from './harness';
import type { FakeOrchestrator, Harness } from './harness';

// The agent settings a business needs (issue 16 item 9) and the call-quality ones (issue 18):
// settings fields, the model allow-list, business hours, business knowledge and the voice preview.

describe('agent settings', () => {
  let harness: Harness;
  let app: Express;
  let orchestrator: FakeOrchestrator;

  /** A fresh tenant with an admin and a viewer. */
  async function tenantWithAdmins() {
    const { customerId } = await createTestTenant(harness.platformDb);
    const admin = await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] });
    const viewer = await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'viewer' }] });
    return { customerId, asAdmin: await bearer(harness.tokens, admin), asViewer: await bearer(harness.tokens, viewer), admin };
  }

  const invalid = (path: string, message: string) => ({
    success: false,
    error: `Invalid ${path}: ${message}`,
    code: 'VALIDATION_FAILED',
    details: [{ path, message }],
  });

  beforeAll(async () => {
    harness = startHarness();
    orchestrator = await startFakeOrchestrator();
    // The same wiring with a smaller model allow-list and an orchestrator to speak previews.
    app = buildApp({ ...harness.appDeps, allowedModels: ['model-small', 'model-large'], orchestrator: orchestrator.client });
  });
  afterAll(async () => {
    await orchestrator.close();
    await harness.close();
  });

  describe('settings', () => {
    it('changes language, voice, temperature, verification policy, emergency sentence, hints and SMS template, audited', async () => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      await withTenant(harness.db, customerId, (tx) =>
        tx.smsTemplate.create({ data: { customerId, name: 'call-text', body: '{{business_name}}: {{message}}' } }),
      );
      const changes = {
        language: 'es-MX',
        say_voice: 'Polly.Mia-Neural',
        llm_temperature: 0.2,
        caller_verification: 'name',
        emergency_message: 'Si es una emergencia, cuelgue y marque 911.',
        speech_hints: ['deducible', 'póliza'],
        call_sms_template: 'call-text',
        openai_model: 'model-large',
      };
      const response = await request(app).patch(`/v1/tenants/${customerId}/settings`).set('authorization', asAdmin).send(changes);
      expect(response.status).toBe(200);
      expect(response.body.settings).toMatchObject({ ...changes, allowed_openai_models: ['model-small', 'model-large'] });

      const log = await request(app).get(`/v1/tenants/${customerId}/audit-log`).set('authorization', asAdmin);
      expect(log.body.entries[0].details.changed).toEqual({
        language: { from: 'en-US', to: 'es-MX' },
        say_voice: { from: null, to: 'Polly.Mia-Neural' },
        llm_temperature: { from: null, to: 0.2 },
        caller_verification: { from: 'name_and_fact', to: 'name' },
        emergency_message: { from: null, to: changes.emergency_message },
        speech_hints: { from: [], to: ['deducible', 'póliza'] },
        call_sms_template: { from: null, to: 'call-text' },
        openai_model: { from: null, to: 'model-large' },
      });
    });

    it('refuses a model the platform does not allow, naming the allowed ones', async () => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(app)
        .patch(`/v1/tenants/${customerId}/settings`)
        .set('authorization', asAdmin)
        .send({ openai_model: 'gpt-9-ultra' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(
        invalid('body.openai_model', 'openai_model must be one of the models this platform allows: model-small, model-large'),
      );
      const settings = await request(app).get(`/v1/tenants/${customerId}/settings`).set('authorization', asAdmin);
      expect(settings.body.settings.openai_model).toBeNull();
    });

    it.each([
      [{ language: 'english' }, 'body.language', 'language must be a language tag with a region, such as en-US or es-MX'],
      [{ llm_temperature: 1.5 }, 'body.llm_temperature', 'llm_temperature must be between 0 and 1'],
      [{ caller_verification: 'pin' }, 'body.caller_verification', 'caller_verification must be none, name or name_and_fact'],
      [
        { say_voice: 'Bob' },
        'body.say_voice',
        'say_voice must be a Twilio <Say> voice such as Polly.Joanna-Neural or Google.en-US-Neural2-F',
      ],
      [{ speech_hints: ['x'.repeat(101)] }, 'body.speech_hints.0', 'speech_hints[] must be at most 100 characters'],
      [
        { call_sms_template: 'no-such-template' },
        'body.call_sms_template',
        `call_sms_template must name one of this tenant's SMS templates; "no-such-template" is not one`,
      ],
    ])('refuses %j with 400 naming %s', async (body, path, message) => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(app).patch(`/v1/tenants/${customerId}/settings`).set('authorization', asAdmin).send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(invalid(path, message));
    });
  });

  describe('business hours', () => {
    const hours = {
      time_zone: 'America/Chicago',
      business_hours: {
        weekly: { mon: [{ open: '09:00', close: '17:00' }], sat: [{ open: '10:00', close: '14:00' }] },
        holidays: ['2026-12-25'],
      },
      after_hours_mode: 'messages_only',
      after_hours_greeting: 'We are closed; leave a message.',
      transfer_schedule: [{ days: ['mon'], from: '09:00', to: '12:00', number: '(312) 555-0188' }],
    };

    it('reads the defaults, replaces them, and audits the change; a viewer may only read', async () => {
      const { customerId, asAdmin, asViewer } = await tenantWithAdmins();
      const defaults = await request(app).get(`/v1/tenants/${customerId}/hours`).set('authorization', asViewer);
      expect(defaults.body.hours).toEqual({
        customer_id: customerId,
        time_zone: 'UTC',
        business_hours: null,
        after_hours_mode: 'answer',
        after_hours_greeting: null,
        transfer_schedule: [],
        updated_at: expect.any(String),
      });

      const put = await request(app).put(`/v1/tenants/${customerId}/hours`).set('authorization', asAdmin).send(hours);
      expect(put.status).toBe(200);
      expect(put.body.hours).toEqual({
        ...hours,
        customer_id: customerId,
        transfer_schedule: [{ days: ['mon'], from: '09:00', to: '12:00', number: '+13125550188' }],
        updated_at: expect.any(String),
      });
      const log = await request(app).get(`/v1/tenants/${customerId}/audit-log`).set('authorization', asAdmin);
      expect(log.body.entries[0]).toMatchObject({
        action: 'hours.update',
        details: { from: { time_zone: 'UTC' }, to: { time_zone: 'America/Chicago' } },
      });

      // Back to "always open".
      const cleared = await request(app)
        .put(`/v1/tenants/${customerId}/hours`)
        .set('authorization', asAdmin)
        .send({ ...hours, business_hours: null });
      expect(cleared.body.hours.business_hours).toBeNull();

      const refused = await request(app).put(`/v1/tenants/${customerId}/hours`).set('authorization', asViewer).send(hours);
      expect(refused.status).toBe(403);
    });

    it.each([
      [{ time_zone: 'Mars/Olympus' }, 'body.time_zone', 'time_zone must be an IANA time zone such as America/New_York or Europe/Paris'],
      [
        { business_hours: { weekly: { mon: [{ open: '17:00', close: '09:00' }] }, holidays: [] } },
        'body.business_hours.weekly.mon.0.close',
        'open must be before close (an opening cannot cross midnight: split it into two days)',
      ],
      [
        { business_hours: { weekly: { monday: [] }, holidays: [] } },
        'body.business_hours.weekly',
        "Unrecognized key(s) in object: 'monday'",
      ],
      [
        { transfer_schedule: [{ days: ['mon'], from: '9am', to: '12:00', number: '+13125550188' }] },
        'body.transfer_schedule.0.from',
        'must be a time like 09:00 (24-hour clock, 00:00 to 24:00)',
      ],
      [
        { transfer_schedule: [{ days: ['mon'], from: '09:00', to: '12:00', number: 'front desk' }] },
        'body.transfer_schedule.0.number',
        '"front desk" is not a valid phone number',
      ],
      [{ after_hours_mode: 'voicemail' }, 'body.after_hours_mode', 'after_hours_mode must be answer or messages_only'],
    ])('refuses %j with 400 naming %s and changes nothing', async (change, path, message) => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(app)
        .put(`/v1/tenants/${customerId}/hours`)
        .set('authorization', asAdmin)
        .send({ ...hours, ...change });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(invalid(path, message));
      const after = await request(app).get(`/v1/tenants/${customerId}/hours`).set('authorization', asAdmin);
      expect(after.body.hours.time_zone).toBe('UTC');
    });

    it("answers another tenant's hours with 404", async () => {
      const { asAdmin } = await tenantWithAdmins();
      const other = await createTestTenant(harness.platformDb);
      expect((await request(app).get(`/v1/tenants/${other.customerId}/hours`).set('authorization', asAdmin)).status).toBe(404);
    });
  });

  describe('business knowledge', () => {
    it('replaces the facts the agent answers from, bounded, audited', async () => {
      const { customerId, asAdmin, asViewer } = await tenantWithAdmins();
      const knowledge = {
        address: '1 Test Street, Springfield',
        services: ['Auto insurance', 'Home insurance'],
        faq: [{ question: 'Do you offer roadside assistance?', answer: 'Yes, with every auto policy.' }],
        notes: 'Free parking behind the office.',
      };
      const put = await request(app).put(`/v1/tenants/${customerId}/knowledge`).set('authorization', asAdmin).send(knowledge);
      expect(put.status).toBe(200);
      expect(put.body.knowledge).toEqual({ customer_id: customerId, knowledge, updated_at: expect.any(String) });
      expect(
        (await request(app).get(`/v1/tenants/${customerId}/knowledge`).set('authorization', asViewer)).body.knowledge.knowledge,
      ).toEqual(knowledge);
      const log = await request(app).get(`/v1/tenants/${customerId}/audit-log`).set('authorization', asAdmin);
      expect(log.body.entries[0]).toMatchObject({ action: 'knowledge.update', details: { to: knowledge } });
    });

    it.each([
      [{ faq: Array.from({ length: 26 }, (_, index) => ({ question: `Q${index}?`, answer: 'A.' })) }, 'body.faq', 'at most 25 questions'],
      [{ faq: [{ question: 'Hours?', answer: ' ' }] }, 'body.faq.0.answer', 'answer must not be empty'],
      [{ services: 'everything' }, 'body.services', 'Expected array, received string'],
      [{ address: 'x'.repeat(301) }, 'body.address', 'address must be at most 300 characters'],
    ])('refuses %j with 400 naming %s', async (body, path, message) => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(app).put(`/v1/tenants/${customerId}/knowledge`).set('authorization', asAdmin).send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(invalid(path, message));
    });
  });

  describe('voice preview', () => {
    it("returns the greeting's audio in the chosen voice, from the orchestrator, for the admin's tenant", async () => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(app)
        .post(`/v1/tenants/${customerId}/voice-preview`)
        .set('authorization', asAdmin)
        .send({ voice_id: 'voice-x' })
        .buffer(true);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('audio/mpeg');
      expect(Buffer.from(response.body as Buffer).toString()).toBe(`mp3:Greeting of ${customerId} in voice-x`);
      expect(response.headers['x-speech-text']).toBe(encodeSpeechTextHeader(`Greeting of ${customerId} in voice-x`));
    });

    it('passes on what the orchestrator refuses, and needs the admin role', async () => {
      const { customerId, asAdmin, asViewer } = await tenantWithAdmins();
      const refused = await request(app)
        .post(`/v1/tenants/${customerId}/voice-preview`)
        .set('authorization', asAdmin)
        .send({ greeting: 'after_hours' });
      expect(refused.status).toBe(422);
      expect(refused.body).toEqual({
        success: false,
        error: 'There is no after-hours greeting to preview',
        code: 'UNPROCESSABLE',
        details: [{ path: 'greeting', message: 'no after_hours_greeting is set' }],
      });
      expect((await request(app).post(`/v1/tenants/${customerId}/voice-preview`).set('authorization', asViewer).send({})).status).toBe(403);
    });

    it('answers 503 on a deployment without an orchestrator to ask', async () => {
      const { customerId, asAdmin } = await tenantWithAdmins();
      const response = await request(harness.app).post(`/v1/tenants/${customerId}/voice-preview`).set('authorization', asAdmin).send({});
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ success: false, error: 'Voice previews are not available on this deployment', code: 'UNAVAILABLE' });
    });
  });
});
