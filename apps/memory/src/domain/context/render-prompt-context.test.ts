import { insuranceTemplate } from '../../../test/templates';
import { renderPromptContext } from './render-prompt-context';

describe('renderPromptContext', () => {
  const template = insuranceTemplate('insurance-unit');

  it('is empty for a caller nobody knows', () => {
    expect(
      renderPromptContext({
        template,
        quickBio: null,
        name: null,
        knownFacts: {},
        recentSummaries: [],
        recentMemories: [],
        personality: null,
      }),
    ).toBe('');
  });

  it('labels facts with the template and includes history and style', () => {
    const text = renderPromptContext({
      template,
      quickBio: 'John Smith | Orange County',
      name: 'John Smith',
      knownFacts: { city: 'Orange County', policies: ['auto', 'home'], open_claim: false },
      recentSummaries: [{ summary: 'Asked about adding a driver.', createdAt: '2026-11-20T10:00:00.000Z' }],
      recentMemories: [{ content: 'Prefers calls after 5pm.' }],
      personality: { averages: { warmth: 72.4, urgency: 10 }, sampleCount: 3 },
    });
    expect(text).toBe(
      [
        'Caller: John Smith | Orange County',
        '',
        'What you already know about this client:\n- City: Orange County\n- Policies: auto, home\n- Open claim: no',
        '',
        'Notes from earlier conversations:\n- Prefers calls after 5pm.',
        '',
        'Recent calls (newest first):\n- 2026-11-20: Asked about adding a driver.',
        '',
        'Caller style (0-100, over 3 call(s)): warmth 72, urgency 10. Adapt your tone to it.',
      ].join('\n'),
    );
  });
});
