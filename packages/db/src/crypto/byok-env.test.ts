import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { byokEnvShape, withByokKeyring } from './byok-env';

const schema = z.object({ OTHER: z.string().optional(), ...byokEnvShape }).transform(withByokKeyring);
const key = randomBytes(32).toString('base64');

describe('withByokKeyring', () => {
  it('leaves the keyring undefined when neither variable is set', () => {
    expect(schema.parse({ OTHER: 'x' })).toEqual({ OTHER: 'x', byokKeyring: undefined });
  });

  it('parses a keyring with its active key', () => {
    const env = schema.parse({ BYOK_KEYS: JSON.stringify({ k1: key }), BYOK_ACTIVE_KEY_ID: 'k1' });
    expect(env.byokKeyring?.activeKeyId).toBe('k1');
    expect(env.byokKeyring?.keys.k1).toEqual(Buffer.from(key, 'base64'));
  });

  it.each([
    [{ BYOK_KEYS: JSON.stringify({ k1: key }) }, 'BYOK_ACTIVE_KEY_ID', 'is required when BYOK_KEYS is set'],
    [{ BYOK_ACTIVE_KEY_ID: 'k1' }, 'BYOK_KEYS', 'is required when BYOK_ACTIVE_KEY_ID is set'],
    [{ BYOK_KEYS: 'not json', BYOK_ACTIVE_KEY_ID: 'k1' }, 'BYOK_KEYS', 'is invalid (BYOK_KEYS must be JSON'],
    [{ BYOK_KEYS: JSON.stringify({ k1: key }), BYOK_ACTIVE_KEY_ID: 'k2' }, 'BYOK_KEYS', 'is invalid (BYOK_ACTIVE_KEY_ID "k2"'],
  ])('reports %p on %s', (source, variable, message) => {
    const result = schema.safeParse(source);
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path).toEqual([variable]);
    expect(issue?.message).toContain(message);
  });
});
