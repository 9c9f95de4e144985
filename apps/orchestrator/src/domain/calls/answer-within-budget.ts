import type { CallInstructions } from '@neurosphere/contracts';
import type { Deadline } from '../../lib/timeout';

/** Lets work that lost the race against the deadline know its answer will never be heard. */
export interface AnswerBudget {
  abandoned(): boolean;
}

/**
 * The answer of `answer`, or `fallback()` once the deadline passes, whichever comes first. Every
 * step inside `answer` has its own timeout, so this is the safety net, not the mechanism; work that
 * loses keeps running to its own timeouts but must not save state (check `abandoned()`).
 */
export async function answerWithinBudget(options: {
  deadline: Deadline;
  answer: (budget: AnswerBudget) => Promise<CallInstructions>;
  fallback: () => CallInstructions;
}): Promise<CallInstructions> {
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CallInstructions>((resolve) => {
    timer = setTimeout(() => {
      abandoned = true;
      resolve(options.fallback());
    }, options.deadline.remainingMs());
  });
  const answered = options.answer({ abandoned: () => abandoned });
  // If the fallback already went out, a late failure has nobody left to tell.
  answered.catch(() => undefined);
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
