import type { ConversationTurn } from '@neurosphere/contracts';
import { assessCall } from './assess-call';

const caller = (text: string): ConversationTurn => ({ role: 'caller', text });
const agent = (text: string): ConversationTurn => ({ role: 'agent', text });
const longLine = 'I would like to add my daughter to the auto policy because she just passed her driving test last week';

describe('assessCall', () => {
  it('scores personality on a normal call', () => {
    expect(assessCall([agent('Hello?'), caller(longLine), agent('Sure.'), caller(longLine), caller('Thanks, bye.')])).toEqual({
      callerTurns: 3,
      callerWords: 42,
      silent: false,
      voicemail: false,
      short: false,
      scorePersonality: true,
    });
  });

  it.each([
    ['two caller turns', [caller(longLine), caller(longLine)]],
    ['few words', [caller('Hi.'), caller('Renewal question.'), caller('Ok thanks bye.')]],
  ])('calls a call with %s short, without personality', (_case, transcript) => {
    expect(assessCall(transcript)).toEqual(expect.objectContaining({ short: true, voicemail: false, scorePersonality: false }));
  });

  it('calls a call without caller speech silent', () => {
    expect(assessCall([agent('Thanks for calling, how can I help?'), caller('  ')])).toEqual(
      expect.objectContaining({ silent: true, callerTurns: 0, scorePersonality: false }),
    );
  });

  it.each([
    "Hi, you've reached Dana. I can't take your call, please leave a message after the tone.",
    'The person you are trying to reach is not available. At the beep, please record your message.',
    'The voicemail box of 2 1 2 5 5 5 0 1 2 3 is full.',
    'Sorry I am unavailable right now, leave your name and number.',
  ])('recognises the voicemail greeting "%s"', (greeting) => {
    expect(assessCall([agent('Hello, this is the agency returning your call.'), caller(greeting)])).toEqual(
      expect.objectContaining({ voicemail: true, scorePersonality: false }),
    );
  });

  it('does not take a person who wants to leave a message for voicemail', () => {
    expect(
      assessCall([caller('Can I leave a message for Bob? He is not available, they said.'), caller(longLine), caller(longLine)]).voicemail,
    ).toBe(false);
  });
});
