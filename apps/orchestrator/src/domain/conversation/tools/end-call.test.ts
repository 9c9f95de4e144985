import { createToolTestRuntime } from '../../../../test/call-fixtures';
import { endCall } from './end-call';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

describe('end_call', () => {
  it('hangs up after the closing line the model chose, or the platform goodbye', async () => {
    expect(endCall.endsTurn).toBe('hangup');
    await expect(endCall.run(tools.context(), { closing_line: 'Bye now.' })).resolves.toEqual({
      ok: true,
      outcome: 'completed',
      say: 'Bye now.',
    });
    const blank = endCall.args.parse({ closing_line: '   ' });
    await expect(endCall.run(tools.context(), blank)).resolves.toEqual(expect.objectContaining({ say: 'Thank you for calling. Goodbye.' }));
  });
});
