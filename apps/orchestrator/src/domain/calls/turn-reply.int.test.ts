import { createLogger } from '@neurosphere/http';
import { Redis } from 'ioredis';
import { testCallSettings, testToolCall } from '../../../test/call-fixtures';
import { Deadline } from '../../lib/timeout';
import { createMetrics } from '../../observability/metrics';
import { createFailureReporter } from '../../observability/report-failure';
import type { CallRuntime } from '../call-runtime/call-runtime';
import { callStateKey, createCallStateStore } from '../call-runtime/call-state';
import type { CallState } from '../call-runtime/call-state';
import { checkpointState, saveState } from './turn-reply';
import type { TurnContext } from './turn-reply';

// Against the real Redis: a turn that lost the race against its deadline saves nothing at its end
// (its words were never heard), but what its tools did is saved the moment they did it.

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('integration tests need REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379');
const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const callStates = createCallStateStore({ redis, ttlSeconds: 60 });
const written: string[] = [];
afterAll(async () => {
  if (written.length > 0) await redis.del(...written);
  if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
});

function newCall(): CallState {
  const state: CallState = {
    ...testToolCall(),
    version: 1,
    startedAt: new Date().toISOString(),
    turns: [],
    silenceCount: 0,
    llmFailureCount: 0,
    mode: 'conversation',
    toolEffects: [],
    outcome: null,
    usage: { llmTokens: 0, ttsCharacters: 0 },
    end: null,
  };
  written.push(callStateKey(state.customerId, state.callSid));
  return state;
}

function abandonedTurn(state: CallState): TurnContext {
  const runtime = {
    callStates,
    settings: testCallSettings,
    failures: createFailureReporter(createMetrics(), createLogger({ service: 'orchestrator-test', level: 'silent' })),
  } as Pick<CallRuntime, 'callStates' | 'settings' | 'failures'> as CallRuntime;
  return { runtime, state, deadline: new Deadline(0), budget: { abandoned: () => true }, startedAt: Date.now() };
}

it("keeps a tool's effect from a turn that ran out of time, and nothing else of that turn", async () => {
  const state = newCall();
  await callStates.save({ state, timeoutMs: 1000 });
  const load = () => callStates.load({ customerId: state.customerId, callSid: state.callSid, timeoutMs: 1000 });

  const turn = abandonedTurn(state);
  state.turns.push({ role: 'caller', text: 'Text me the address', at: new Date().toISOString() });
  state.turns.push({ role: 'system', text: 'Sent the caller a text message.', at: new Date().toISOString() });
  state.toolEffects.push({ key: 'effect-1', tool: 'send_sms', at: new Date().toISOString() });
  await checkpointState(turn);
  state.turns.push({ role: 'agent', text: 'Done! Anything else?', at: new Date().toISOString() });
  await saveState(turn);

  const saved = await load();
  expect(saved?.toolEffects).toEqual([expect.objectContaining({ key: 'effect-1', tool: 'send_sms' })]);
  expect(saved?.turns.map((line) => line.text)).toEqual(['Text me the address', 'Sent the caller a text message.']);
});
