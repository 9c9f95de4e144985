/**
 * What the agent says when it cannot ask the model: neutral platform sentences, spoken in the
 * tenant's voice. Nothing here names a business; everything business-specific comes from the
 * tenant's settings and template.
 */
export const PLATFORM_PHRASES = {
  silenceReprompt: "Sorry, I didn't catch that. Are you still there?",
  silenceGoodbye: "I'm sorry, I can't hear you. Please call back any time. Goodbye.",
  retryAfterFailure: "I'm sorry, I didn't get that. Could you say it again?",
  transferAfterFailure: "I'm sorry, I'm having trouble right now. Let me connect you with someone who can help.",
  offerMessageAfterFailure:
    "I'm sorry, I'm having trouble right now. Please tell me your name and a short message, and someone will get back to you.",
  messageTakenGoodbye: 'Thank you, I have passed on your message. Goodbye.',
  messageFailedGoodbye: "I'm sorry, I couldn't save your message. Please call back later. Goodbye.",
  transferring: 'One moment while I connect you.',
  goodbye: 'Thank you for calling. Goodbye.',
  followUpAfterAction: 'Is there anything else I can help you with?',
  /** When no tenant or state could be loaded: nothing tenant-specific is known. */
  unavailableGoodbye: "I'm sorry, we can't take your call right now. Please call back later. Goodbye.",
  unavailableTransfer: "I'm sorry, we're having trouble right now. Let me connect you with someone.",
} as const;
