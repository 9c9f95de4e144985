import { decodeSpeechTextHeader } from '@neurosphere/contracts';
import { fakeAudioFor } from '@neurosphere/testing';
import request from 'supertest';
import { chatsFor, eventually, GatewayClient, gatherFor, systemPromptOf, useCallRoutes } from '../../test/harness';
import { audioTokenKey, newAudioToken } from '../domain/call-runtime/audio-store';

// The call routes' greeting (POST /v1/calls/start) and the audio it links to (GET /v1/audio/:token).

describe('call routes', () => {
  const { harness, gateway } = useCallRoutes();

  describe('start', () => {
    it("greets in the tenant's words and voice, with audio served by its token", async () => {
      const tenant = await harness.createTenant({ speechTimeoutSeconds: 7 });
      const { response, caller } = await gateway.start({ customerId: tenant.customerId });

      expect(response.status).toBe(200);
      const greeting = tenant.customer.greeting.replace('{{agent_name}}', tenant.customer.agentName);
      expect(greeting).toContain(tenant.customer.agentName);
      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), text: greeting }],
        next: gatherFor(tenant.customer),
      });
      expect(harness.elevenlabs.ttsRequests()).toContainEqual({
        voiceId: tenant.customer.voiceId,
        text: greeting,
        modelId: 'test-tts-model',
      });
      const enriched = harness.memory.requests.filter((r) => r.path === '/v2/context/enriched').at(-1);
      expect(enriched?.body).toEqual({ customer_id: tenant.customerId, user_id: caller });

      const audio = await request(harness.makeApp().app).get(`/v1/audio/${response.body.speak[0].audio_token}`).buffer(true);
      expect(audio.status).toBe(200);
      expect(audio.headers['content-type']).toBe('audio/mpeg');
      expect(Buffer.from(audio.body as Buffer)).toEqual(fakeAudioFor(tenant.customer.voiceId!, greeting));
      expect(audio.headers['x-speech-text']).toBe(encodeURIComponent(greeting));
      expect(decodeSpeechTextHeader(audio.headers['x-speech-text'] as string)).toBe(greeting);
    });

    it('reuses the cached greeting audio: a second call makes no new ElevenLabs request', async () => {
      const tenant = await harness.createTenant();
      const first = await gateway.start({ customerId: tenant.customerId });
      const requestsAfterFirst = harness.elevenlabs.ttsRequests().filter((r) => r.voiceId === tenant.customer.voiceId).length;
      const second = await gateway.start({ customerId: tenant.customerId });

      expect(requestsAfterFirst).toBe(1);
      expect(harness.elevenlabs.ttsRequests().filter((r) => r.voiceId === tenant.customer.voiceId)).toHaveLength(1);
      expect(second.response.body.speak[0]).toEqual(first.response.body.speak[0]);
    });

    it('answers with <Say> text when the tenant has no voice configured (not a failure)', async () => {
      const tenant = await harness.createTenant({ voiceId: null });
      const { response } = await gateway.start({ customerId: tenant.customerId });
      expect(response.body.speak).toEqual([
        { type: 'say', text: expect.stringContaining(tenant.customer.agentName), language: 'en-US', voice: 'Polly.Joanna-Neural' },
      ]);
    });

    it('answers a tenant whose stored time zone this runtime does not know, on UTC', async () => {
      const tenant = await harness.createTenant({ timeZone: 'Mars/Olympus' });
      const { response, callSid } = await gateway.start({ customerId: tenant.customerId });
      expect(response.body.next).toEqual(gatherFor(tenant.customer));
      const turn = await gateway.turn(tenant.customerId, callSid, 'What time is it there?');
      expect(turn.status).toBe(200);
      expect(systemPromptOf(chatsFor(harness, tenant.customer.agentName).at(-1)!)).toContain('(time zone UTC)');
    });

    it('refuses to guess for a tenant that does not exist: an apology and a hang-up, counted', async () => {
      const { app, metrics } = harness.makeApp();
      const { response } = await new GatewayClient(app, harness.gatewaySigner).start({ customerId: 2_000_000_123 });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        speak: [{ type: 'say', text: "I'm sorry, we can't take your call right now. Please call back later. Goodbye." }],
        next: { type: 'hangup' },
      });
      const degraded = (await metrics.degradedAnswers.get()).values.find((value) => value.labels.reason === 'tenant_not_found');
      expect(degraded?.value).toBe(1);
    });
  });

  describe('audio', () => {
    it('serves audio until its TTL passes, then 404', async () => {
      const { app } = harness.makeApp({ env: { AUDIO_TTL_SECONDS: '1' } });
      const shortLived = new GatewayClient(app, harness.gatewaySigner);
      const tenant = await harness.createTenant();
      const { response } = await shortLived.start({ customerId: tenant.customerId });
      const token = response.body.speak[0].audio_token as string;

      expect((await request(app).get(`/v1/audio/${token}`)).status).toBe(200);
      const expired = await eventually(async () => {
        const fetched = await request(app).get(`/v1/audio/${token}`);
        return fetched.status === 404 ? fetched : undefined;
      });
      expect(expired.body).toEqual({ success: false, error: 'Audio not found or expired', code: 'NOT_FOUND' });
    });

    it('serves audio stored without its words with no X-Speech-Text header', async () => {
      const token = newAudioToken();
      await harness.redis.set(audioTokenKey(token), Buffer.from('old mp3'), 'EX', 60);
      const audio = await request(harness.makeApp().app).get(`/v1/audio/${token}`).buffer(true);
      expect(audio.status).toBe(200);
      expect(Buffer.from(audio.body as Buffer)).toEqual(Buffer.from('old mp3'));
      expect(audio.headers).not.toHaveProperty('x-speech-text');
    });
  });
});
