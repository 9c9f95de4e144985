import { createHmac } from 'node:crypto';
import { signWebhook } from './sign-webhook';

describe('signWebhook', () => {
  it('signs "<t>.<body>" with each secret, the timestamp first', () => {
    const now = new Date('2026-12-05T10:00:00.900Z');
    const header = signWebhook({ body: '{"a":1}', secrets: ['whsec_new', 'whsec_old'], now });
    const expected = (secret: string) => createHmac('sha256', secret).update('1796464800.{"a":1}').digest('hex');
    expect(header).toBe(`t=1796464800,v1=${expected('whsec_new')},v1=${expected('whsec_old')}`);
  });
});
