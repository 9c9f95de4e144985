import type { Expectation } from '../scenarios/scenario-file';

/** What the harness saw of one scenario's call, through the real call path. */
export interface CallObservation {
  /** The tools the model asked for, in order. */
  toolCalls: Array<{ name: string; arguments: Record<string, unknown> }>;
  /** What the platform answered each tool call with (the tool message the model got next). */
  toolResults: Array<{ name: string; arguments: Record<string, unknown>; result: Record<string, unknown> }>;
  /** Every system message the model was sent during the call. */
  prompts: string[];
  /** Everything the agent said, in order (the greeting too). */
  said: string[];
  ends: 'listening' | 'transfer' | 'hangup';
  /** What memory holds after the call was summarized. */
  stored: { summary: string; facts: string[]; profile: Record<string, unknown> };
}

export interface Check {
  /** What was expected, in words. */
  label: string;
  pass: boolean;
  /** Why it failed (what was seen instead). */
  detail?: string;
}

/**
 * Whether `actual` has at least what `expected` says: a string is contained (any case), a list
 * has a match for each expected item, an object has matching values for the expected keys, and
 * anything else is equal.
 */
export function matches(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') return typeof actual === 'string' && actual.toLowerCase().includes(expected.toLowerCase());
  if (Array.isArray(expected))
    return Array.isArray(actual) && expected.every((item) => actual.some((candidate) => matches(item, candidate)));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([key, value]) => matches(value, (actual as Record<string, unknown>)[key]));
  }
  return expected === actual;
}

const quote = (words: string) => JSON.stringify(words);
const clip = (line: string) => (line.length > 120 ? `${line.slice(0, 119)}…` : line);
const contains = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle.toLowerCase());

/** One check per expectation of the scenario, each passed or failed with the reason. */
export function scoreScenario(expect: Expectation, seen: CallObservation): Check[] {
  const checks: Check[] = [];
  const check = (label: string, pass: boolean, detail?: string) => checks.push({ label, pass, ...(pass || !detail ? {} : { detail }) });
  const calledTools = seen.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.arguments)})`).join(', ') || 'none';

  for (const tool of expect.tools) {
    const args = tool.arguments ?? {};
    const label = `calls ${tool.name}${Object.keys(args).length ? ` with ${JSON.stringify(args)}` : ''}`;
    check(
      label,
      seen.toolCalls.some((call) => call.name === tool.name && matches(args, call.arguments)),
      `tools called: ${calledTools}`,
    );
    if (tool.result) {
      const results = seen.toolResults.filter((result) => result.name === tool.name && matches(args, result.arguments));
      const resultsSeen = results.map((result) => JSON.stringify(result.result)).join(', ') || 'no result';
      check(
        `${tool.name} answers ${JSON.stringify(tool.result)}`,
        results.some((result) => matches(tool.result, result.result)),
        `it answered: ${resultsSeen}`,
      );
    }
  }
  for (const name of expect.no_tools) {
    check(`never calls ${name}`, !seen.toolCalls.some((call) => call.name === name), `tools called: ${calledTools}`);
  }

  const storedText = [seen.stored.summary, ...seen.stored.facts, JSON.stringify(seen.stored.profile)].join('\n');
  for (const words of expect.stored)
    check(`stores ${quote(words)}`, contains(storedText, words), `stored: ${clip(storedText.replace(/\n/g, ' | '))}`);
  for (const [field, value] of Object.entries(expect.profile)) {
    check(
      `profile ${field} = ${JSON.stringify(value)}`,
      matches(value, seen.stored.profile[field]),
      `profile ${field} is ${JSON.stringify(seen.stored.profile[field] ?? null)}`,
    );
  }
  for (const words of expect.never_stored)
    check(`never stores ${quote(words)}`, !contains(storedText, words), `stored: ${clip(storedText.replace(/\n/g, ' | '))}`);

  const spoken = seen.said.join('\n');
  for (const words of expect.said) check(`says ${quote(words)}`, contains(spoken, words), `the agent said: ${clip(seen.said.join(' / '))}`);
  for (const words of expect.never_said) {
    const line = seen.said.find((said) => contains(said, words));
    check(`never says ${quote(words)}`, line === undefined, `it said: ${quote(clip(line ?? ''))}`);
  }

  for (const words of expect.in_prompt)
    check(
      `prompt includes ${quote(words)}`,
      seen.prompts.some((prompt) => contains(prompt, words)),
      `not in any of ${seen.prompts.length} prompts`,
    );
  for (const words of expect.never_in_prompt) {
    const count = seen.prompts.filter((prompt) => contains(prompt, words)).length;
    check(`prompt never includes ${quote(words)}`, count === 0, `in ${count} of ${seen.prompts.length} prompts`);
  }

  if (expect.ends) check(`ends ${expect.ends}`, seen.ends === expect.ends, `it ended ${seen.ends}`);
  return checks;
}
