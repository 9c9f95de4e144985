import { startFakeOpenAI, UNSCRIPTED_REPLY } from '@neurosphere/testing';
import type { FakeOpenAI } from '@neurosphere/testing';
import { modelUnderTest } from './model-under-test';

// The model side of an evaluation run, driven with chat requests shaped like the orchestrator's.

const KEY = 'Harborline Insurance (abc123-007)';
const system = { role: 'system', content: `You are Priya, answering the phone for ${KEY}.` };
const callerLine = { role: 'user', content: 'Please take a message, I am Ada Brooks.' };
const toolCall = {
  id: 'call_1',
  type: 'function',
  function: { name: 'take_message', arguments: '{"message":"Call back","caller_name":"Ada Brooks","urgency":null}' },
};

let servers: FakeOpenAI[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function ask(server: FakeOpenAI, messages: unknown[], extra: Record<string, unknown> = {}) {
  const response = await fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-platform' },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages, ...extra }),
  });
  return (await response.json()) as {
    choices: Array<{ message: { content: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> } }>;
  };
}

it('plays the scenario whose key is in the prompt, and records its prompts, tool calls and tool results', async () => {
  const model = modelUnderTest({ kind: 'simulated' });
  model.addScripts([
    { key: 'Another Business (abc123-008)', replies: [{ caller: callerLine.content, reply: { say: 'Wrong script' } }] },
    {
      key: KEY,
      replies: [
        {
          caller: callerLine.content,
          reply: {
            tools: [{ name: 'take_message', arguments: { message: 'Call back', caller_name: 'Ada Brooks', urgency: null } }],
            then: 'Message taken.',
          },
        },
      ],
    },
  ]);
  const server = await startFakeOpenAI(model.handler);
  servers.push(server);

  const first = await ask(server, [system, callerLine]);
  expect(first.choices[0]!.message.tool_calls?.[0]?.function).toEqual({
    name: 'take_message',
    arguments: '{"message":"Call back","caller_name":"Ada Brooks","urgency":null}',
  });
  const followUp = await ask(
    server,
    [
      system,
      callerLine,
      { role: 'assistant', content: null, tool_calls: [toolCall] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
    ],
    { tool_choice: 'none' },
  );
  expect(followUp.choices[0]!.message.content).toBe('Message taken.');
  const unscripted = await ask(server, [system, { role: 'user', content: 'Something nobody wrote down' }]);
  expect(unscripted.choices[0]!.message.content).toBe(UNSCRIPTED_REPLY);

  expect(model.observed(KEY)).toEqual({
    toolCalls: [{ name: 'take_message', arguments: { message: 'Call back', caller_name: 'Ada Brooks', urgency: null } }],
    toolResults: [
      { name: 'take_message', arguments: { message: 'Call back', caller_name: 'Ada Brooks', urgency: null }, result: { ok: true } },
    ],
    prompts: [system.content, system.content, system.content],
  });
  expect(model.observed('Another Business (abc123-008)').prompts).toEqual([]);
});

it("forwards to the real model's API with the real key, and records the tool calls it answers with", async () => {
  const upstream = await startFakeOpenAI(() => ({ toolCalls: [{ name: 'end_call', arguments: { closing_line: 'Goodbye.' } }] }));
  servers.push(upstream);
  const model = modelUnderTest({ kind: 'real', apiKey: 'sk-real-key', baseURL: upstream.baseURL });
  model.addScripts([{ key: KEY, replies: [] }]);
  const server = await startFakeOpenAI(model.handler);
  servers.push(server);

  const answer = await ask(server, [system, { role: 'user', content: 'Bye now.' }]);
  expect(answer.choices[0]!.message.tool_calls?.[0]?.function.name).toBe('end_call');
  expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-real-key');
  expect(upstream.chatRequests()[0]?.messages).toEqual([system, { role: 'user', content: 'Bye now.' }]);
  expect(model.observed(KEY).toolCalls).toEqual([{ name: 'end_call', arguments: { closing_line: 'Goodbye.' } }]);
});
