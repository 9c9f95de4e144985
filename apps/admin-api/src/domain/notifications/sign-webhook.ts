import { createHmac } from 'node:crypto';

/**
 * The value of the NeuroSphere-Signature header (docs/WEBHOOKS.md): `t=<unix seconds>` and one
 * `v1=<hex HMAC-SHA256>` per secret that signs now, each over `<t>.<raw body>`. The timestamp is
 * inside the signed text, so a receiver that refuses old timestamps also refuses replayed bodies.
 */
export function signWebhook(options: { body: string; secrets: string[]; now: Date }): string {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  const signatures = options.secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${options.body}`).digest('hex')}`,
  );
  return [`t=${timestamp}`, ...signatures].join(',');
}
