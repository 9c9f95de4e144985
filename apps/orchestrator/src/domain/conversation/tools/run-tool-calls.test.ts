import { createToolTestRuntime, testTenantSnapshot, testToolCall } from '../../../../test/call-fixtures';
import { Deadline } from '../../../lib/timeout';
import type { ToolCall } from './define-tool';
import { endCall } from './end-call';
import { requestCallback } from './request-callback';
import { effectKeyOf, parseToolCall, runToolCalls } from './run-tool-calls';
import type { FunctionToolCall, ToolRunState } from './run-tool-calls';

const tools = createToolTestRuntime();
afterAll(() => tools.close());

let nextId = 0;
function toolCall(name: string, args: unknown): FunctionToolCall {
  nextId += 1;
  return { id: `call_${nextId}`, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

function stateOf(call: Partial<ToolCall> = {}): ToolRunState & { checkpoints: number } {
  return { ...testToolCall(call), turns: [], outcome: null, toolEffects: [], checkpoints: 0 };
}

function run(toolCalls: FunctionToolCall[], state = stateOf()) {
  const { runtime } = tools.context();
  return runToolCalls({
    runtime,
    state,
    deadline: new Deadline(5000),
    reserveMs: 0,
    now: new Date(),
    checkpoint: async () => {
      state.checkpoints += 1;
    },
    toolCalls,
  });
}

describe('parseToolCall', () => {
  it('parses valid arguments', () => {
    expect(
      parseToolCall(
        'request_callback',
        '{"reason":"Billing","caller_name":"Sam","callback_number":"this number","callback_time":"after 3"}',
      ),
    ).toEqual({
      tool: requestCallback,
      args: { reason: 'Billing', caller_name: 'Sam', callback_number: 'this number', callback_time: 'after 3' },
    });
    expect(parseToolCall('end_call', '{"closing_line":null}')).toEqual({ tool: endCall, args: { closing_line: null } });
  });

  it('explains what is wrong, for the model to correct', () => {
    expect(parseToolCall('dial_number', '{}')).toEqual({ error: 'unknown tool dial_number' });
    expect(parseToolCall('send_sms', '{not json')).toEqual({ error: 'arguments are not valid JSON' });
    expect(parseToolCall('send_sms', '{"message":"  ","consent":true}')).toEqual({
      error: 'invalid arguments: message: message is required',
    });
  });
});

describe('effectKeyOf', () => {
  it('is the same for the same request said slightly differently, and differs for another request', () => {
    const key = effectKeyOf('send_sms', { message: 'Our address is 1 Test Street.', consent: true });
    expect(effectKeyOf('send_sms', { consent: true, message: '  our address is 1 test   street ' })).toBe(key);
    expect(effectKeyOf('send_sms', { message: 'Our hours are 9 to 5.', consent: true })).not.toBe(key);
    expect(effectKeyOf('take_message', { message: 'Our address is 1 Test Street.', consent: true })).not.toBe(key);
  });
});

describe('runToolCalls', () => {
  it('answers every call in order, marks the invalid ones, and acts on none of them', async () => {
    const calls = [toolCall('dial_number', {}), toolCall('send_sms', '{not json'), toolCall('end_call', { closing_line: 'Bye now.' })];
    const state = stateOf();
    const executed = await run(calls, state);
    expect(executed.results).toEqual([
      { toolCallId: calls[0]!.id, content: '{"ok":false,"error":"unknown tool dial_number"}' },
      { toolCallId: calls[1]!.id, content: '{"ok":false,"error":"arguments are not valid JSON"}' },
      { toolCallId: calls[2]!.id, content: '{"ok":true}' },
    ]);
    expect(executed).toEqual(
      expect.objectContaining({
        invalid: true,
        failed: [{ tool: 'dial_number' }, { tool: 'send_sms' }],
        ending: { next: 'hangup', say: 'Bye now.' },
      }),
    );
    expect(state.outcome).toBe('completed');
    expect(state.turns).toEqual([]);
  });

  it('records what a side effect did in the call state, saves it at once, and does not do the same request twice', async () => {
    const state = stateOf();
    const text = { message: 'Our address is 1 Test Street.', consent: true };
    const first = await run([toolCall('send_sms', text)], state);
    expect(first.results[0]?.content).toBe('{"ok":true}');
    expect(state.turns).toEqual([expect.objectContaining({ role: 'system', text: 'Sent the caller a text message.' })]);
    expect(state.toolEffects).toEqual([{ key: effectKeyOf('send_sms', text), tool: 'send_sms', at: expect.any(String) }]);
    expect(state.checkpoints).toBe(1);
    const sent = tools.smsRequests.length;

    // The caller asks again (say the first turn timed out before they heard the answer).
    const again = await run([toolCall('send_sms', { message: 'our address is 1 test street', consent: true })], state);
    expect(JSON.parse(again.results[0]!.content)).toEqual({
      ok: true,
      already_done: true,
      note: 'this was already done earlier in this call; it was not repeated',
    });
    expect(tools.smsRequests).toHaveLength(sent);
    expect(state.turns).toHaveLength(1);
    expect(state.checkpoints).toBe(1);
  });

  it('saves a failed verification attempt at once, so a turn that runs out of time cannot reset the count', async () => {
    const state = stateOf({
      callerContext: {
        knownCaller: true,
        promptContext: 'Caller: Ana Lopez',
        name: 'Ana Lopez',
        facts: [{ label: 'City', value: 'Springfield' }],
      },
      verification: { status: 'unverified', failedAttempts: 0 },
    });
    const executed = await run([toolCall('verify_caller', { full_name: 'Ana Lopez', detail: 'Shelbyville' })], state);
    expect(executed.failed).toEqual([{ tool: 'verify_caller' }]);
    expect(state.verification).toEqual({ status: 'unverified', failedAttempts: 1 });
    expect(state.checkpoints).toBe(1);
    expect(state.toolEffects).toEqual([]);
  });

  it('refuses a tool the call does not offer with the error the tool gives', async () => {
    const state = stateOf({ tenant: testTenantSnapshot({ transferNumber: null }) });
    const executed = await run([toolCall('transfer_to_human', { reason: 'wants a person', caller_name: null })], state);
    expect(executed).toEqual({
      results: [
        {
          toolCallId: expect.any(String),
          content: '{"ok":false,"error":"no one is available for a transfer right now; offer to take a message"}',
        },
      ],
      invalid: false,
      failed: [{ tool: 'transfer_to_human' }],
      ending: null,
    });
    expect(state.outcome).toBeNull();
  });

  it('lets a transfer outrank a hang-up, whatever the order', async () => {
    for (const order of [
      ['end_call', 'transfer_to_human'],
      ['transfer_to_human', 'end_call'],
    ]) {
      const state = stateOf();
      const executed = await run(
        order.map((name) => toolCall(name, name === 'end_call' ? { closing_line: null } : { reason: 'wants a person', caller_name: null })),
        state,
      );
      expect(executed.ending).toEqual({
        next: 'transfer',
        say: 'One moment while I connect you.',
        transfer: { number: '+12125550150', whisper: expect.any(String) },
      });
      expect(state.outcome).toBe('transferred');
      expect(state.turns.map((turn) => turn.text)).toEqual(['Transferred the call to a person.']);
    }
  });

  it('takes the later of two closing lines', async () => {
    const executed = await run([toolCall('end_call', { closing_line: 'First.' }), toolCall('end_call', { closing_line: 'Second.' })]);
    expect(executed.ending).toEqual({ next: 'hangup', say: 'Second.' });
  });
});
