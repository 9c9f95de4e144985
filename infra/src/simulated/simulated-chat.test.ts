import { simulatedChatAnswer } from './simulated-chat';

const tools = ['verify_caller', 'transfer_to_human', 'take_message', 'request_callback', 'send_sms', 'end_call'].map((name) => ({
  type: 'function',
  function: { name },
}));

describe('simulatedChatAnswer', () => {
  it('answers a structured-output request with data shaped by its JSON schema', () => {
    const answer = simulatedChatAnswer({
      model: 'm',
      messages: [{ role: 'user', content: 'Caller: I need a quote for my second car' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'call_summary',
          schema: {
            type: 'object',
            properties: {
              summary: { type: 'string' },
              key_topics: { type: 'array', items: { type: 'string' } },
              personality: { type: 'object', properties: { warmth: { type: 'integer', minimum: 0, maximum: 100 } } },
              spouse: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              mood: { type: 'string', enum: ['calm', 'upset'] },
            },
          },
        },
      },
    });
    expect(answer).toEqual({
      json: {
        summary: expect.stringContaining('second car'),
        key_topics: [],
        personality: { warmth: 50 },
        spouse: null,
        mood: 'calm',
      },
    });
  });

  it.each([
    [
      'My name is Dana Whitfield from Springfield',
      'verify_caller',
      { full_name: 'Dana Whitfield', detail: 'My name is Dana Whitfield from Springfield' },
    ],
    ['Can I talk to a person?', 'transfer_to_human', { reason: 'Can I talk to a person?', caller_name: null }],
    ['Please take a message for Dana', 'take_message', { message: 'Please take a message for Dana', caller_name: null }],
    ['Text me the address', 'send_sms', { message: 'You asked: Text me the address', consent: true }],
    ['Thanks, bye', 'end_call', { closing_line: 'Thanks for calling. Goodbye!' }],
  ])('turns %p into the %s tool call, every strict argument present, when the tool is offered', (said, tool, args) => {
    const answer = simulatedChatAnswer({ model: 'm', messages: [{ role: 'user', content: said }], tools });
    expect(answer).toEqual({ toolCalls: [{ name: tool, arguments: args }] });
  });

  it('asks for a name before a callback, then requests it for the number called from', () => {
    expect(simulatedChatAnswer({ model: 'm', messages: [{ role: 'user', content: 'Please call me back' }], tools })).toEqual({
      content: 'Of course. May I have your name first?',
    });
    const answer = simulatedChatAnswer({
      model: 'm',
      messages: [
        { role: 'user', content: "I'm Kim Park" },
        { role: 'user', content: 'Please call me back about my bill' },
      ],
      tools: tools.filter((tool) => tool.function.name !== 'verify_caller'),
    });
    expect(answer).toEqual({
      toolCalls: [
        {
          name: 'request_callback',
          arguments: {
            reason: 'Please call me back about my bill',
            caller_name: 'Kim Park',
            callback_number: 'this number',
            callback_time: null,
          },
        },
      ],
    });
  });

  it('does not call a tool the request did not offer, and echoes the caller otherwise', () => {
    const answer = simulatedChatAnswer({ model: 'm', messages: [{ role: 'user', content: 'transfer me' }] });
    expect(answer).toEqual({ content: expect.stringContaining('transfer me') });
  });

  it('closes the loop after a tool result, and never claims a failed one worked', () => {
    const after = (content: string) =>
      simulatedChatAnswer({
        model: 'm',
        messages: [{ role: 'user', content: 'text me' }, { role: 'assistant' }, { role: 'tool', content, tool_call_id: 'x' }],
        tools,
      });
    expect(after('{"ok":true}')).toEqual({ content: expect.stringContaining('anything else') });
    expect(after('{"ok":false,"error":"the caller opted out"}')).toEqual({
      content: "(Simulated assistant) I couldn't do that: the caller opted out.",
    });
  });
});
