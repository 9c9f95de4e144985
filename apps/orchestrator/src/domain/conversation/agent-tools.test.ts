import { agentTools, parseToolCall } from './agent-tools';

describe('agent tools', () => {
  it('offers transfer_to_human only when the tenant can transfer', () => {
    expect(agentTools({ canTransfer: true }).map((tool) => tool.function.name)).toEqual([
      'transfer_to_human',
      'take_message',
      'request_callback',
      'send_sms',
      'end_call',
    ]);
    expect(agentTools({ canTransfer: false }).map((tool) => tool.function.name)).not.toContain('transfer_to_human');
  });

  it('parses valid arguments', () => {
    expect(parseToolCall('request_callback', '{"reason":"Billing","callback_time":"after 3"}')).toEqual({
      name: 'request_callback',
      args: { reason: 'Billing', callback_time: 'after 3' },
    });
    expect(parseToolCall('end_call', '')).toEqual({ name: 'end_call', args: {} });
  });

  it('explains what is wrong, for the model to correct', () => {
    expect(parseToolCall('dial_number', '{}')).toEqual({ error: 'unknown tool dial_number' });
    expect(parseToolCall('send_sms', '{not json')).toEqual({ error: 'arguments are not valid JSON' });
    expect(parseToolCall('send_sms', '{"message":"  "}')).toEqual({ error: 'invalid arguments: message: message is required' });
  });
});
