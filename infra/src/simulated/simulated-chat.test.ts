import { simulatedChatAnswer } from './simulated-chat';

const tools = ['transfer_to_human', 'take_message', 'send_sms', 'end_call'].map((name) => ({
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
    ['Can I talk to a person?', 'transfer_to_human'],
    ['Please take a message for Dana', 'take_message'],
    ['Text me the address', 'send_sms'],
    ['Thanks, bye', 'end_call'],
  ])('turns %p into the %s tool call when the tool is offered', (said, tool) => {
    const answer = simulatedChatAnswer({ model: 'm', messages: [{ role: 'user', content: said }], tools });
    expect(answer).toEqual({ toolCalls: [expect.objectContaining({ name: tool })] });
  });

  it('does not call a tool the request did not offer, and echoes the caller otherwise', () => {
    const answer = simulatedChatAnswer({ model: 'm', messages: [{ role: 'user', content: 'transfer me' }] });
    expect(answer).toEqual({ content: expect.stringContaining('transfer me') });
  });

  it('closes the loop after a tool result', () => {
    const answer = simulatedChatAnswer({
      model: 'm',
      messages: [{ role: 'user', content: 'text me' }, { role: 'assistant' }, { role: 'tool', content: 'sent', tool_call_id: 'x' }],
      tools,
    });
    expect(answer).toEqual({ content: expect.stringContaining('anything else') });
  });
});
