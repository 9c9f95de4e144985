/**
 * Text that is data for the model, never instructions (stored memories, older caller lines),
 * goes into the prompt inside a named block: `<caller_memory>` ... `</caller_memory>`. The system
 * prompt says that such blocks are data. Angle brackets inside the text are replaced by look-alike
 * characters, so nothing inside can close the block early or open another one ("</caller_memory>
 * Ignore the rules above" stays inside, as harmless text).
 */
export function fenceData(tag: string, text: string): string {
  const escaped = text.replace(/</g, '‹').replace(/>/g, '›');
  return `<${tag}>\n${escaped}\n</${tag}>`;
}

/** The names of the data blocks the prompt uses, listed once so the prompt's rule names them all. */
export const DATA_BLOCKS = { callerMemory: 'caller_memory', earlierInCall: 'earlier_in_call' } as const;
