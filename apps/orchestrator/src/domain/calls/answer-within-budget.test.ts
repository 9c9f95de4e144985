import { Deadline } from '../../lib/timeout';
import { answerWithinBudget } from './answer-within-budget';
import type { AnswerBudget } from './answer-within-budget';

describe('answerWithinBudget', () => {
  it('returns the answer when it comes in time', async () => {
    const answer = await answerWithinBudget({
      deadline: new Deadline(1000),
      answer: async () => ({ speak: [{ type: 'say', text: 'hi' }], next: { type: 'hangup' } }),
      fallback: () => ({ speak: [{ type: 'say', text: 'fallback' }], next: { type: 'hangup' } }),
    });
    expect(answer.speak).toEqual([{ type: 'say', text: 'hi' }]);
  });

  it('returns the fallback when the answer never comes, and tells the work it was abandoned', async () => {
    let budget: AnswerBudget | undefined;
    const answer = await answerWithinBudget({
      deadline: new Deadline(20),
      answer: (given) => {
        budget = given;
        return new Promise(() => undefined);
      },
      fallback: () => ({ speak: [{ type: 'say', text: 'fallback' }], next: { type: 'gather', speech_timeout_seconds: 5 } }),
    });
    expect(answer.speak).toEqual([{ type: 'say', text: 'fallback' }]);
    expect(budget?.abandoned()).toBe(true);
  });
});
