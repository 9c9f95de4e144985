import { scenarioSchema } from '../scenarios/scenario-file';
import { matches, scoreScenario } from './score-scenario';
import type { CallObservation } from './score-scenario';
import { renderScorecard } from './scorecard';

const seen: CallObservation = {
  toolCalls: [{ name: 'take_message', arguments: { message: 'Call me about the renewal', caller_name: 'Ada Brooks', urgency: 'normal' } }],
  toolResults: [
    {
      name: 'take_message',
      arguments: { message: 'Call me about the renewal', caller_name: 'Ada Brooks', urgency: 'normal' },
      result: { ok: true },
    },
  ],
  prompts: ['You are Priya, answering the phone for Harborline Insurance.'],
  said: ['Thank you for calling Harborline Insurance.', "I've taken your message."],
  ends: 'listening',
  stored: {
    summary: 'The caller left a message about her renewal.',
    facts: ['The caller said her renewal is in May.'],
    profile: { city: 'Riverside', policies: ['auto', 'home'] },
  },
};

function expectation(expect: Record<string, unknown>) {
  return scenarioSchema.parse({ id: 'x', title: 'x', persona: 'x', turns: [{ caller: 'hi', model: { say: 'hi' } }], expect }).expect;
}

describe('matches', () => {
  it.each([
    ['contained string, any case', 'ada', 'Ada Brooks', true],
    ['missing string', 'Lisbon', 'Ada Brooks', false],
    ['list items', ['home'], ['auto', 'home'], true],
    ['list item missing', ['boat'], ['auto', 'home'], false],
    ['object keys', { caller_name: 'ada' }, { caller_name: 'Ada Brooks', urgency: 'normal' }, true],
    ['boolean', true, false, false],
    ['number', 500000, 500000, true],
  ])('%s', (_name, expected, actual, result) => {
    expect(matches(expected, actual)).toBe(result);
  });
});

describe('scoreScenario', () => {
  it('passes every check that the call meets', () => {
    const checks = scoreScenario(
      expectation({
        tools: [{ name: 'take_message', arguments: { caller_name: 'Ada' }, result: { ok: true } }],
        no_tools: ['transfer_to_human'],
        stored: ['renewal is in May'],
        profile: { city: 'riverside', policies: ['home'] },
        never_stored: ['card'],
        said: ['message'],
        never_said: ['Subaru'],
        in_prompt: ['Harborline'],
        never_in_prompt: ['Subaru'],
        ends: 'listening',
      }),
      seen,
    );
    expect(checks.filter((check) => !check.pass)).toEqual([]);
    expect(checks).toHaveLength(12);
  });

  it('fails each check the call does not meet, saying what it saw instead', () => {
    const checks = scoreScenario(
      expectation({
        tools: [{ name: 'take_message', result: { ok: false } }, { name: 'transfer_to_human' }],
        no_tools: ['take_message'],
        stored: ['Lisbon'],
        profile: { city: 'Lisbon' },
        never_stored: ['renewal'],
        said: ['goodbye'],
        never_said: ['message'],
        in_prompt: ['Subaru'],
        never_in_prompt: ['Harborline'],
        ends: 'transfer',
      }),
      seen,
    );
    expect(checks.filter((check) => check.pass).map((check) => check.label)).toEqual(['calls take_message']);
    expect(checks.find((check) => check.label === 'never says "message"')?.detail).toBe('it said: "I\'ve taken your message."');
    expect(checks.find((check) => check.label === 'ends transfer')?.detail).toBe('it ended listening');
    expect(checks.find((check) => check.label === 'profile city = "Lisbon"')?.detail).toBe('profile city is "Riverside"');
  });
});

describe('renderScorecard', () => {
  it('marks a scenario with one failed check, or that could not be played, as failed, and totals both', () => {
    const card = renderScorecard(
      [
        { name: 'insurance/a', title: 'A', checks: [{ label: 'says "hi"', pass: true }] },
        {
          name: 'insurance/b',
          title: 'B',
          checks: [
            { label: 'says "hi"', pass: true },
            { label: 'ends hangup', pass: false, detail: 'it ended listening' },
          ],
        },
        { name: 'insurance/c', title: 'C', checks: [], error: 'the gateway answered 500' },
      ],
      { model: 'simulated' },
    );
    expect(card).toMatchObject({ scenarios: 3, passed: 1, failed: 2, checks: 3, failedChecks: 1 });
    expect(card.text).toContain('PASS  insurance/a  1/1 checks  A');
    expect(card.text).toContain('FAIL  insurance/b  1/2 checks  B\n      ✓ says "hi"\n      ✗ ends hangup (it ended listening)');
    expect(card.text).toContain('FAIL  insurance/c  0/0 checks  C\n      ✗ the call could not be played: the gateway answered 500');
    expect(card.text).toContain('scenarios: 1 passed, 2 failed (of 3); checks: 2 passed, 1 failed (of 3)');
  });
});
