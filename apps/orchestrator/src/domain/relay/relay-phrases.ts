/** Platform sentences only the relay path says (neutral: nothing here names a business). */
export const RELAY_PHRASES = {
  silenceOfferMessage:
    "I still can't hear you. If you'd like, tell me your name and a short message, and someone will get back to you.",
} as const;
