import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { callerVerificationPolicySchema } from '@neurosphere/contracts';
import { parse } from 'yaml';
import { z } from 'zod';

/** The tools the agent has (apps/orchestrator/src/domain/conversation/tools): a typo in a scenario fails at load. */
export const AGENT_TOOL_NAMES = ['verify_caller', 'transfer_to_human', 'take_message', 'request_callback', 'send_sms', 'end_call'] as const;
const toolName = z.enum(AGENT_TOOL_NAMES);
const text = z.string().trim().min(1);

const toolCall = z.object({ name: toolName, arguments: z.record(z.unknown()) }).strict();

/** The simulated model's move after one caller line (ignored when a real model plays the agent). */
const modelMove = z.union([
  z.object({ say: text }).strict(),
  z.object({ tools: z.array(toolCall).min(1), then: text.optional() }).strict(),
]);

const turn = z.object({ caller: text, model: modelMove }).strict();

const expectation = z
  .object({
    /** Tools the agent must call, with at least these arguments (strings: contained, any case) and, optionally, this result. */
    tools: z
      .array(z.object({ name: toolName, arguments: z.record(z.unknown()).optional(), result: z.record(z.unknown()).optional() }).strict())
      .default([]),
    /** Tools the agent must not call. */
    no_tools: z.array(toolName).default([]),
    /** Words that must be stored after the call: in its summary, its facts or the caller's profile (any case). */
    stored: z.array(text).default([]),
    /** Profile fields the caller must have after the call (strings: contained, any case). */
    profile: z.record(z.unknown()).default({}),
    /** Words that must not be stored after the call (e.g. an injected instruction, a card number). */
    never_stored: z.array(text).default([]),
    /** Words the agent must say at some point of the call. */
    said: z.array(text).default([]),
    /** Words the agent must never say. */
    never_said: z.array(text).default([]),
    /** Words that must reach the model's prompt at some point (e.g. stored details after verification). */
    in_prompt: z.array(text).default([]),
    /** Words that must never reach the model's prompt (e.g. stored details for an unverified caller). */
    never_in_prompt: z.array(text).default([]),
    /** How the call ends after the last line: still listening, transferred (<Dial>) or hung up. */
    ends: z.enum(['listening', 'transfer', 'hangup']).optional(),
  })
  .strict();

/** What the platform already has for the calling number before the call (a returning caller). */
const onFile = z
  .object({
    name: text,
    fields: z.record(z.unknown()).default({}),
    memories: z.array(text).default([]),
  })
  .strict();

export const scenarioSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case words joined by hyphens'),
    title: text,
    /** Who calls and why, in a sentence (a real model playing the caller would get this). */
    persona: text,
    /** `adversarial` marks the attacks (spoofed number, prompt injection, someone else's details). */
    tags: z.array(z.enum(['adversarial', 'spoofed-number', 'prompt-injection', 'someone-else', 'returning-caller'])).default([]),
    caller: z.object({ on_file: onFile.optional() }).strict().default({}),
    /** Someone else the business knows (another number): their details must never reach this call. */
    other_caller: onFile.optional(),
    turns: z.array(turn).min(1),
    /** The simulated summarizer's answer (fields of the structured output). */
    summary: z
      .object({
        summary: text,
        key_topics: z.array(text).default([]),
        caller_name: z.string().nullable().default(null),
        facts: z.array(text).default([]),
        changes: z.array(z.record(z.unknown())).default([]),
      })
      .strict()
      .optional(),
    expect: expectation,
  })
  .strict();

export const scenarioFileSchema = z
  .object({
    /** An industry template of the seed (packages/db/seed/templates): its latest version is the tenant's. */
    industry: text,
    /** The fictional business every scenario of the file calls (each scenario gets its own tenant). */
    business: z
      .object({
        name: text,
        agent_name: text,
        transfer_number: z
          .string()
          .regex(/^\+[1-9]\d{7,14}$/, 'an E.164 number')
          .optional(),
        caller_verification: callerVerificationPolicySchema.default('name_and_fact'),
      })
      .strict(),
    scenarios: z.array(scenarioSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioFile = z.infer<typeof scenarioFileSchema> & { file: string };
export type Expectation = Scenario['expect'];

/** Reads one scenario file (YAML); throws naming the file and the field that is wrong. */
export function readScenarioFile(file: string): ScenarioFile {
  const parsed = scenarioFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const scenario of parsed.data.scenarios) {
    if (ids.has(scenario.id)) throw new Error(`${file}: scenario id ${scenario.id} is used twice`);
    ids.add(scenario.id);
  }
  return { ...parsed.data, file };
}

/** The scenario files of the given files and folders (folders: their *.yaml files, sorted). */
export function loadScenarioFiles(paths: readonly string[]): ScenarioFile[] {
  const files = paths.flatMap((entry) =>
    statSync(entry).isDirectory()
      ? readdirSync(entry)
          .filter((name) => name.endsWith('.yaml'))
          .sort()
          .map((name) => path.join(entry, name))
      : [entry],
  );
  return files.map(readScenarioFile);
}
