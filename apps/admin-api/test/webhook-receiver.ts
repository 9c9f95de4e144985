// A CRM's webhook receiver, as a tenant's developer would write it from docs/WEBHOOKS.md alone
// (not from the admin-api's code): check the NeuroSphere-Signature header, then trust the body.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RecordedRequest } from '@neurosphere/testing';

/** docs/WEBHOOKS.md, "Checking the signature": refuse signatures older than five minutes. */
const TOLERANCE_SECONDS = 300;

/**
 * True when the header has a timestamp within the tolerance and at least one v1 signature equal
 * to HMAC-SHA256(secret, "<t>.<raw body>") in hex.
 */
export function verifySignature(rawBody: string, header: string | undefined, secret: string, now = Date.now()): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  const signatures = parts.filter(([key]) => key === 'v1').map(([, value]) => value ?? '');
  if (!timestamp || !/^\d+$/.test(timestamp) || Math.abs(now / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'));
  return signatures.some((signature) => signature.length === expected.length && timingSafeEqual(Buffer.from(signature), expected));
}

/** The webhook requests a fake receiver got for one event type. */
export function webhookCalls(requests: RecordedRequest[], type: string): RecordedRequest[] {
  return requests.filter((request) => request.headers['neurosphere-event'] === type);
}
