/**
 * What the agent says when it cannot ask the model: neutral platform sentences, spoken in the
 * tenant's voice. Nothing here names a business; everything business-specific comes from the
 * tenant's settings and template. When our own system failed, the sentence says so: the caller
 * is never told they were not understood when they were not the problem.
 */
export const PLATFORM_PHRASES = {
  /** Only after real silence (or nothing recognizable). */
  silenceReprompt: "Sorry, I didn't catch that. Are you still there?",
  silenceGoodbye: "I'm sorry, I can't hear you. Please call back any time. Goodbye.",
  retryAfterFailure: "I'm sorry, something went wrong on our end. Could you say that again?",
  transferAfterFailure: "I'm sorry, our system is having trouble right now. Let me connect you with someone who can help.",
  offerMessageAfterFailure:
    "I'm sorry, our system is having trouble right now. Please tell me your name and a short message, and someone will get back to you.",
  messageTakenGoodbye: 'Thank you, I have passed on your message. Goodbye.',
  messageFailedGoodbye: "I'm sorry, our system couldn't save your message. Please call back later. Goodbye.",
  transferring: 'One moment while I connect you.',
  transferUnanswered:
    "I'm sorry, nobody was able to pick up just now. I can take a message and make sure they get it. What's your name, and what would you like me to pass on?",
  goodbye: 'Thank you for calling. Goodbye.',
  followUpAfterAction: 'Is there anything else I can help you with?',
  /** A tool could not be used even after the model corrected itself: nothing was done, and nothing is claimed. */
  actionFailed: "I'm sorry, I wasn't able to do that just now. Is there another way I can help?",
  messageNotSaved: "I'm sorry, our system couldn't save that message just now.",
  textNotSent: "I'm sorry, our texting system isn't working right now, so I couldn't send that text.",
  textOptedOut:
    "I can't send you a text, because this number has opted out of our texts. If you'd like them again, you can text START to us.",
  /** The model's reply was cut before its first sentence ended. */
  cutOffReply: "I'm sorry, let me start again. How can I help you?",
  /** Pressing 1 after the silence offer. */
  takingMessage: "Of course. Please tell me your name and your message, and I'll pass it on.",
  /** When no tenant or state could be loaded: nothing tenant-specific is known. */
  unavailableGoodbye: "I'm sorry, we can't take your call right now. Please call back later. Goodbye.",
  unavailableTransfer: "I'm sorry, we're having trouble right now. Let me connect you with someone.",
} as const;

/** After a second silence, before hanging up: a person (keypad 0) when one can take the call, or a message (keypad 1). */
export function silenceOffer(canTransfer: boolean): string {
  return canTransfer
    ? "I still can't hear you. To speak with someone, press 0. To leave a message, press 1. Or just tell me what you need."
    : "I still can't hear you. To leave a message, press 1, or just tell me what you need.";
}
