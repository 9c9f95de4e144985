import { createRowFingerprinter, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { RowFingerprinter } from '@neurosphere/db/testing';
import { HTTP_STATUS_BY_CODE } from '@neurosphere/http';
import { fuzzService, sendFuzzRequest, toQueryString, useHarness } from '@neurosphere/testing';
import type { FuzzRequest, FuzzRoute } from '@neurosphere/testing';
import { TWILIO_WEBHOOK_PATHS } from '@neurosphere/twilio';
import twilio from 'twilio';
import { z } from 'zod';
import { TRANSFER_STATUS_PATH, WHISPER_PATH } from '../src/domain/call/render-call-instructions';
import {
  callStatusFormSchema,
  callTurnFormSchema,
  dialActionFormSchema,
  inboundSmsFormSchema,
  incomingCallFormSchema,
  smsStatusFormSchema,
} from '../src/domain/webhook/twilio-forms';
import { RELAY_ENDED_PATH } from '../src/relay/render-relay-twiml';
import { relayEndedFormSchema } from '../src/routes/relay-webhooks';
import { PUBLIC_BASE_URL, parseTwiml, startHarness } from './harness';

/**
 * Fuzzing the gateway's Twilio webhooks: forms generated from the schemas the gateway parses them
 * with, and malformed requests, each signed as Twilio signs it with the platform account's token
 * and addressed to a tenant's number. No 5xx; a 2xx is TwiML Twilio can read (or an empty 204); a refusal is the
 * error wire shape; none of the tenant's rows is written by a refused request.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_2612);

/** Which form field names the tenant's number (Twilio's To, except where the business dials out). */
const WEBHOOKS: (FuzzRoute & { numberField: 'To' | 'From' })[] = [
  {
    key: 'call.incoming',
    numberField: 'To',
    route: { method: 'POST', path: TWILIO_WEBHOOK_PATHS.incomingCall, body: incomingCallFormSchema },
  },
  { key: 'call.turn', numberField: 'To', route: { method: 'POST', path: TWILIO_WEBHOOK_PATHS.callTurn, body: callTurnFormSchema } },
  { key: 'call.transfer_status', numberField: 'To', route: { method: 'POST', path: TRANSFER_STATUS_PATH, body: dialActionFormSchema } },
  {
    key: 'call.whisper',
    numberField: 'From',
    route: {
      method: 'POST',
      path: WHISPER_PATH,
      query: z.object({ text: z.string().min(1), voice: z.string().optional(), language: z.string().optional() }),
      body: z.object({ From: z.string(), CallSid: z.string() }),
    },
  },
  { key: 'call.status', numberField: 'To', route: { method: 'POST', path: TWILIO_WEBHOOK_PATHS.callStatus, body: callStatusFormSchema } },
  { key: 'call.relay_ended', numberField: 'To', route: { method: 'POST', path: RELAY_ENDED_PATH, body: relayEndedFormSchema } },
  { key: 'sms.incoming', numberField: 'To', route: { method: 'POST', path: TWILIO_WEBHOOK_PATHS.incomingSms, body: inboundSmsFormSchema } },
  // The form schema leaves out From (the tenant's number, read by the signature check): added here.
  {
    key: 'sms.status',
    numberField: 'From',
    route: { method: 'POST', path: TWILIO_WEBHOOK_PATHS.smsStatus, body: z.object({ From: z.string() }).and(smsStatusFormSchema) },
  },
];

/** A generated value as Twilio's flat form: every field a string. */
function toForm(value: unknown): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(toQueryString(value)));
}

describe('gateway webhook fuzzing', () => {
  const harness = useHarness(() => startHarness({ orchestratorTimeoutMs: 2000 }));
  let fingerprinter: RowFingerprinter;
  let tenant: { customerId: number; number: string };

  beforeAll(async () => {
    tenant = await harness.createTenant();
    fingerprinter = await createRowFingerprinter({ ownerUrl: requireTestDatabaseEnv().ownerUrl });
  });
  afterAll(() => fingerprinter?.close());

  /** Signs the request as Twilio would (URL with its query, plus the form's fields) and sends it. */
  async function sendSigned(webhook: FuzzRoute, fuzzRequest: FuzzRequest) {
    const url = `${PUBLIC_BASE_URL}${fuzzRequest.path}${fuzzRequest.rawQuery ? `?${fuzzRequest.rawQuery}` : ''}`;
    let signed: FuzzRequest = fuzzRequest;
    let params: Record<string, string> = {};
    if (fuzzRequest.body && 'json' in fuzzRequest.body) {
      params = toForm(fuzzRequest.body.json);
      signed = { ...fuzzRequest, body: { raw: new URLSearchParams(params).toString(), contentType: 'application/x-www-form-urlencoded' } };
    }
    return sendFuzzRequest(harness.app, webhook.route.method, signed, {
      'x-twilio-signature': twilio.getExpectedTwilioSignature(harness.platformToken, url, params),
    });
  }

  it('answers every generated and malformed webhook without a 5xx, with TwiML or the error shape, writing nothing when it refuses', async () => {
    const twimlProblems: string[] = [];
    const report = await fuzzService({
      routes: WEBHOOKS,
      seed: SEED,
      generatedPerRoute: 8,
      statusByCode: HTTP_STATUS_BY_CODE,
      pinned: { To: tenant.number, From: tenant.number },
      validParams: () => ({}),
      async send(webhook, fuzzRequest) {
        const response = await sendSigned(webhook, fuzzRequest);
        // A status callback is answered 204 (Twilio reads no TwiML from it); every other 2xx is TwiML.
        if (response.status < 300 && response.status !== 204) {
          try {
            if (!response.text.includes('<Response')) throw new Error('no <Response>');
            parseTwiml(response.text);
          } catch (error) {
            twimlProblems.push(`${webhook.key}: not TwiML (${String(error)}): ${response.text.slice(0, 200)}`);
          }
        }
        return response;
      },
      snapshot: () => fingerprinter.fingerprint({ customerId: tenant.customerId }),
    });
    expect(report.problems).toEqual([]);
    expect(twimlProblems).toEqual([]);
    expect(report.refused).toBeGreaterThan(WEBHOOKS.length * 4);
    expect(report.sent).toBeGreaterThan(report.refused);
  }, 60_000);
});
