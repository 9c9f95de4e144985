import { createToolTestRuntime, testTenantSnapshot } from '../../../../test/call-fixtures';
import { Deadline } from '../../../lib/timeout';
import { endCall } from './end-call';
import { requestCallback } from './request-callback';
import { parseToolCall, runToolCalls } from './run-tool-calls';
import type { FunctionToolCall } from './run-tool-calls';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

let nextId = 0;
function toolCall(name: string, args: unknown): FunctionToolCall {
  nextId += 1;
  return { id: `call_${nextId}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

function run(toolCalls: FunctionToolCall[], tenant = testTenantSnapshot()) {
  const { runtime, call } = tools.context({ call: { tenant } });
  return runToolCalls({ runtime, call, deadline: new Deadline(5000), reserveMs: 0, toolCalls });
}

describe('parseToolCall', () => {
  it('parses valid arguments', () => {
    expect(parseToolCall('request_callback', '{"reason":"Billing","callback_time":"after 3"}')).toEqual({
      tool: requestCallback,
      args: { reason: 'Billing', callback_time: 'after 3' },
    });
    expect(parseToolCall('end_call', '')).toEqual({ tool: endCall, args: {} });
  });

  it('explains what is wrong, for the model to correct', () => {
    expect(parseToolCall('dial_number', '{}')).toEqual({ error: 'unknown tool dial_number' });
    expect(parseToolCall('send_sms', '{not json')).toEqual({ error: 'arguments are not valid JSON' });
    expect(parseToolCall('send_sms', '{"message":"  "}')).toEqual({ error: 'invalid arguments: message: message is required' });
  });
});

describe('runToolCalls', () => {
  it('answers every call in order, errors included, and acts on none of the rejected ones', async () => {
    const calls = [toolCall('dial_number', {}), toolCall('send_sms', '{not json'), toolCall('end_call', { closing_line: 'Bye now.' })];
    const executed = await run(calls);
    expect(executed.results).toEqual([
      { toolCallId: calls[0]!.id, content: '{"ok":false,"error":"unknown tool dial_number"}' },
      { toolCallId: calls[1]!.id, content: '{"ok":false,"error":"arguments are not valid JSON"}' },
      { toolCallId: calls[2]!.id, content: '{"ok":true}' },
    ]);
    expect(executed).toEqual(expect.objectContaining({ actions: [], outcome: 'completed', ending: { next: 'hangup', say: 'Bye now.' } }));
  });

  it('refuses a tool the tenant does not offer with the error the tool gives', async () => {
    const executed = await run([toolCall('transfer_to_human', { reason: 'wants a person' })], testTenantSnapshot({ transferNumber: null }));
    expect(executed).toEqual({
      results: [
        { toolCallId: expect.any(String), content: '{"ok":false,"error":"no one is available for a transfer; offer to take a message"}' },
      ],
      actions: [],
      outcome: null,
      ending: null,
    });
  });

  it('lets a transfer outrank a hang-up, whatever the order', async () => {
    for (const order of [
      ['end_call', 'transfer_to_human'],
      ['transfer_to_human', 'end_call'],
    ]) {
      const executed = await run(order.map((name) => toolCall(name, {})));
      expect(executed).toEqual(
        expect.objectContaining({
          actions: ['Transferred the call to a person.'],
          outcome: 'transferred',
          ending: { next: 'transfer', say: 'One moment while I connect you.' },
        }),
      );
    }
  });

  it('takes the later of two closing lines', async () => {
    const executed = await run([toolCall('end_call', { closing_line: 'First.' }), toolCall('end_call', { closing_line: 'Second.' })]);
    expect(executed.ending).toEqual({ next: 'hangup', say: 'Second.' });
  });
});
