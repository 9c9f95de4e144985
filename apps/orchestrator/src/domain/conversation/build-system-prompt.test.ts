import { testTenantSnapshot } from '../../../test/call-fixtures';
import { buildSystemPrompt } from './build-system-prompt';

const tenant = testTenantSnapshot({
  transferNumber: '+12125550150',
  promptFragments: {
    role: 'You are the front desk of a dental practice.',
    guidelines: ['Never give medical advice.'],
    knownFactsIntro: 'About this patient:',
  },
});

describe('buildSystemPrompt', () => {
  it('frames the agent with tenant settings, template fragments and caller context', () => {
    const prompt = buildSystemPrompt({ tenant, callerContext: { knownCaller: true, promptContext: 'Name: Ana. Last visit: March.' } });
    expect(prompt.split('\n')).toEqual([
      'You are Riley, answering the phone for Example Dental.',
      'You are the front desk of a dental practice.',
      'Your personality: Friendly and brief.',
      'Guidelines:',
      '- Never give medical advice.',
      expect.stringMatching(/^- This is a phone call/),
      '- Ask one question at a time.',
      expect.stringMatching(/^- Never invent facts/),
      expect.stringMatching(/^- When the caller asks for a person.*transfer_to_human/),
      expect.stringMatching(/^- Use take_message/),
      expect.stringMatching(/^- Use request_callback/),
      expect.stringMatching(/^- Use send_sms/),
      expect.stringMatching(/^- Use end_call/),
      'You opened the call with: "Example Dental, this is Riley."',
      'About this patient:',
      'Name: Ana. Last visit: March.',
    ]);
  });

  it('leaves out the caller section for an unknown caller and transfer advice without a number', () => {
    const prompt = buildSystemPrompt({
      tenant: { ...tenant, transferNumber: null, promptFragments: null, personality: '' },
      callerContext: { knownCaller: false, promptContext: '  ' },
    });
    expect(prompt).not.toContain('About this patient');
    expect(prompt).not.toContain('transfer_to_human');
    expect(prompt).not.toContain('Your personality');
    expect(prompt).toContain('Nobody is available for live transfers');
  });
});
