import { messageText, scriptedModel, scriptFor } from '@neurosphere/testing';
import type { ChatAnswer, ChatHandler, ChatRequest, ModelScript } from '@neurosphere/testing';
import type { CallObservation } from '../score/score-scenario';

type ModelObservation = Pick<CallObservation, 'toolCalls' | 'toolResults' | 'prompts'>;

/** Where the platform's model requests go: the scripted simulated model, or a real OpenAI-compatible API. */
export type ModelChoice = { kind: 'simulated' } | { kind: 'real'; apiKey: string; baseURL: string };

export interface ModelUnderTest {
  /** The fake OpenAI server's handler: the apps' real SDKs send every model request here. */
  handler: ChatHandler;
  /** Adds the scripts of the calls about to be played. */
  addScripts(scripts: ModelScript[]): void;
  /** What the model was asked and answered in the call whose script has this key. */
  observed(key: string): ModelObservation;
  describe(): string;
}

function parseArguments(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return { unparseable: json };
  }
}

/** A real API's chat completion, forwarded as it is; the answer's tool calls, for the record. */
async function forward(choice: Extract<ModelChoice, { kind: 'real' }>, request: ChatRequest) {
  const response = await fetch(`${choice.baseURL.replace(/\/$/, '')}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${choice.apiKey}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as {
    choices?: Array<{ message?: { tool_calls?: Array<{ function?: { name: string; arguments: string } }> } }>;
  };
  const toolCalls = (body.choices?.[0]?.message?.tool_calls ?? []).flatMap((call) =>
    call.function ? [{ name: call.function.name, arguments: parseArguments(call.function.arguments) }] : [],
  );
  return { answer: { reply: { status: response.status, body } } satisfies ChatAnswer, toolCalls };
}

/**
 * The model side of an evaluation run. Every request of a call is recorded under that call's
 * script (found by its key in the request): the system prompts, the tool calls in the answer, and
 * the tool results the platform sent back, so the scorecard judges the platform's real traffic.
 * The summarizer's requests are answered but not recorded (what it wrote is read from memory).
 */
export function modelUnderTest(choice: ModelChoice): ModelUnderTest {
  const scripts: ModelScript[] = [];
  const observations = new Map<string, ModelObservation & { resultIds: Set<string> }>();
  const simulated = scriptedModel(() => scripts);

  const record = (request: ChatRequest, toolCalls: ModelObservation['toolCalls']) => {
    const script = scriptFor(scripts, request);
    if (!script) return;
    const seen = observations.get(script.key) ?? { toolCalls: [], toolResults: [], prompts: [], resultIds: new Set<string>() };
    observations.set(script.key, seen);
    const asked = new Map<string, { name: string; arguments: Record<string, unknown> }>();
    for (const message of request.messages) {
      if (message.role === 'system') seen.prompts.push(messageText(message.content));
      for (const call of (message.tool_calls ?? []) as Array<{ id: string; function: { name: string; arguments: string } }>) {
        asked.set(call.id, { name: call.function.name, arguments: parseArguments(call.function.arguments) });
      }
      const call = message.role === 'tool' && message.tool_call_id ? asked.get(message.tool_call_id) : undefined;
      if (call && !seen.resultIds.has(message.tool_call_id!)) {
        seen.resultIds.add(message.tool_call_id!);
        seen.toolResults.push({ ...call, result: parseArguments(messageText(message.content)) });
      }
    }
    seen.toolCalls.push(...toolCalls);
  };

  return {
    async handler(request, recorded) {
      const summarizing = request.response_format?.type === 'json_schema';
      if (choice.kind === 'real') {
        const { answer, toolCalls } = await forward(choice, request);
        if (!summarizing) record(request, toolCalls);
        return answer;
      }
      const answer = await simulated(request, recorded);
      if (!summarizing) record(request, 'toolCalls' in answer ? answer.toolCalls : []);
      return answer;
    },
    addScripts(added) {
      scripts.push(...added);
    },
    observed(key) {
      const seen = observations.get(key);
      return { toolCalls: seen?.toolCalls ?? [], toolResults: seen?.toolResults ?? [], prompts: seen?.prompts ?? [] };
    },
    describe() {
      return choice.kind === 'real'
        ? `real (${choice.baseURL}, the model each app asks for; callers' lines are the scenarios')`
        : 'simulated (each scenario scripts the model; checks the platform and the harness)';
    },
  };
}
