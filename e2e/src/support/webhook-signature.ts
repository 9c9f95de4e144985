// Written from docs/WEBHOOKS.md ("Checking the signature") alone, as a CRM developer would.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyWebhookSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => {
    const trimmed = part.trim();
    const at = trimmed.indexOf('=');
    return [trimmed.slice(0, at), trimmed.slice(at + 1)] as const;
  });
  const t = parts.find(([key]) => key === 't')?.[1];
  if (!t || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'));
  return parts.some(([key, value]) => key === 'v1' && value.length === expected.length && timingSafeEqual(Buffer.from(value), expected));
}
