import { createToolTestRuntime, testTenantSnapshot } from '../../../../test/call-fixtures';
import { transferToHuman } from './transfer-to-human';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

describe('transfer_to_human', () => {
  it('is offered only to a tenant with a transfer number', () => {
    expect(transferToHuman.available?.(testTenantSnapshot({ transferNumber: '+12125550150' }))).toBe(true);
    expect(transferToHuman.available?.(testTenantSnapshot({ transferNumber: null }))).toBe(false);
  });

  it('ends the turn with a transfer and says so when the model said nothing', async () => {
    expect(transferToHuman.endsTurn).toBe('transfer');
    await expect(transferToHuman.run(tools.context(), { reason: 'wants a person' })).resolves.toEqual({
      ok: true,
      action: 'Transferred the call to a person.',
      outcome: 'transferred',
      say: 'One moment while I connect you.',
    });
  });
});
