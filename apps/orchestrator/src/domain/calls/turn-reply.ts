import type { CallInstructions, TransferStep } from '@neurosphere/contracts';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallState } from '../call-runtime/call-state';
import { prepareSpeech, storeSpeech } from '../speech/speak-text';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import { transferTargetAt } from '../tenants/business-hours';
import type { AnswerBudget } from './answer-within-budget';
import { cannotContinueAnswer } from './fallback-answers';
import { listenStep } from './listen-step';

/** One request's work on a call: its state, its deadline, and whether its answer was already given up on. */
export interface TurnContext {
  runtime: CallRuntime;
  state: CallState;
  deadline: Deadline;
  budget: AnswerBudget;
  startedAt: number;
}

/** What comes after the agent's words. */
export type NextStep = { type: 'gather'; numDigits?: number } | { type: 'hangup' } | { type: 'transfer'; number: string; whisper: string };

/**
 * Speaks `text` in the tenant's voice, records the agent's line with its timings and saves the
 * state. Fresh audio and the state go to Redis together (two writes in flight at once, not one
 * after the other): the turn waits for one round trip, not two.
 */
export async function reply(context: TurnContext, answer: { text: string; next: NextStep; llmMs?: number }): Promise<CallInstructions> {
  const { runtime, state, deadline, startedAt } = context;
  const { settings } = runtime;
  const prepared = await prepareSpeech({
    runtime,
    customerId: state.customerId,
    callSid: state.callSid,
    tenant: state.tenant,
    text: answer.text,
    deadline,
    // Storing fresh audio and saving the state run side by side: one Redis timeout covers both.
    reserveMs: settings.redisTimeoutMs,
  });
  state.usage.ttsCharacters += prepared.synthesizedCharacters;
  // totalMs: until the answer was ready, before it and the state are written.
  state.turns.push({
    role: 'agent',
    text: answer.text,
    at: new Date().toISOString(),
    ...(answer.llmMs === undefined ? {} : { llmMs: answer.llmMs }),
    ttsMs: prepared.ttsMs,
    totalMs: Date.now() - startedAt,
  });

  const [speech] = await Promise.all([
    storeSpeech({ runtime, customerId: state.customerId, callSid: state.callSid, prepared, deadline, reserveMs: 0 }),
    saveState(context),
  ]);
  return { speak: [speech], next: nextInstruction(state, settings, answer.next) };
}

function nextInstruction(state: CallState, settings: CallRuntime['settings'], next: NextStep): CallInstructions['next'] {
  const { tenant } = state;
  if (next.type === 'hangup') return { type: 'hangup' };
  if (next.type === 'gather') return listenStep(tenant, settings, next.numDigits ? { numDigits: next.numDigits } : {});
  return transferInstruction(state, settings, next);
}

/** A transfer as Twilio dials it: rings for a while, shows the business's number, whispers who is calling and why. */
export function transferInstruction(
  state: Pick<CallState, 'tenant' | 'calledPhone'>,
  settings: Pick<CallRuntime['settings'], 'transferRingSeconds'>,
  transfer: { number: string; whisper: string },
): TransferStep {
  const { tenant } = state;
  return {
    type: 'transfer',
    number: transfer.number,
    timeout_seconds: settings.transferRingSeconds,
    // The person answering sees the business calling, not a stranger's number.
    caller_id: state.calledPhone,
    whisper: { text: transfer.whisper, language: tenant.language, ...(tenant.sayVoice ? { voice: tenant.sayVoice } : {}) },
  };
}

/** Writes the state back; a failure is counted and the caller still hears this turn's answer. */
export async function saveState(context: TurnContext): Promise<void> {
  // A turn that lost the race already answered with an apology; its lines were never heard.
  if (context.budget.abandoned()) return;
  await writeState(context, context.deadline.allow(context.runtime.settings.redisTimeoutMs), 'save call state');
}

/**
 * Saves the state now, in the middle of a turn, whether or not the turn will still be heard: a
 * tool's side effect has happened, and the next turn must know it (so it is not done twice).
 */
export async function checkpointState(context: TurnContext): Promise<void> {
  await writeState(context, context.runtime.settings.redisTimeoutMs, 'save call state after a tool');
}

async function writeState({ runtime, state }: TurnContext, timeoutMs: number, operation: string): Promise<void> {
  try {
    await runtime.callStates.save({ state, timeoutMs, existingOnly: true });
  } catch (error) {
    // The next turn sees the state as it was before this one.
    runtime.failures.dependencyFailed({ dependency: 'redis', error, customerId: state.customerId, callSid: state.callSid, operation });
  }
}

/** Redis did not give the call state back: the tenant's transfer number for now (from PostgreSQL) is all that is left. */
export async function answerWithoutState(options: {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
  deadline: Deadline;
}): Promise<CallInstructions> {
  const { runtime, customerId, callSid, deadline } = options;
  try {
    const tenant = await loadTenantSnapshot({
      db: runtime.db,
      logger: runtime.logger,
      customerId,
      timeoutMs: deadline.allow(runtime.settings.databaseTimeoutMs),
    });
    const target = tenant ? transferTargetAt(tenant, new Date()) : null;
    return cannotContinueAnswer(target && 'number' in target ? target.number : null, tenant);
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'load tenant settings' });
    return cannotContinueAnswer(null);
  }
}
