// The fakes are only worth having if the real SDKs accept their answers: drive each with its SDK.
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import twilio from 'twilio';
import { z } from 'zod';
import { fakeAudioFor, startFakeElevenLabs, startFakeOpenAI, startFakeTwilio } from './index';

describe('fake OpenAI with the openai SDK', () => {
  it('answers structured output that the SDK parses with zod', async () => {
    const fake = await startFakeOpenAI(() => ({ json: { summary: 'Asked about a policy', topics: ['auto'] } }));
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
      const schema = z.object({ summary: z.string(), topics: z.array(z.string()) });
      const completion = await client.chat.completions.parse({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'summarize' }],
        response_format: zodResponseFormat(schema, 'call_summary'),
      });
      expect(completion.choices[0]?.message.parsed).toEqual({ summary: 'Asked about a policy', topics: ['auto'] });
      expect(fake.chatRequests()[0]?.response_format?.json_schema?.name).toBe('call_summary');
    } finally {
      await fake.close();
    }
  });

  it('answers tool calls and HTTP errors', async () => {
    const fake = await startFakeOpenAI(() => ({ toolCalls: [{ name: 'transfer_call', arguments: { reason: 'asked' } }] }));
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      const call = completion.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === 'function' && call.function.name).toBe('transfer_call');

      fake.respondWith(() => ({ reply: { status: 503, body: { error: { message: 'overloaded' } } } }));
      await expect(client.chat.completions.create({ model: 'm', messages: [] })).rejects.toMatchObject({ status: 503 });
    } finally {
      await fake.close();
    }
  });
});

describe('fake OpenAI streaming (stream: true) with the openai SDK', () => {
  it('streams content as word tokens and tool calls as deltas, with usage last', async () => {
    const fake = await startFakeOpenAI(() => ({ content: 'We open at nine.', tokenDelayMs: 1 }));
    try {
      const client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: 'gpt-test',
        messages: [{ role: 'user', content: 'hours?' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      const tokens: string[] = [];
      let usage: number | undefined;
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) tokens.push(chunk.choices[0].delta.content);
        if (chunk.usage) usage = chunk.usage.total_tokens;
      }
      expect(tokens).toEqual(['We', ' open', ' at', ' nine.']);
      expect(usage).toBe(20);

      fake.respondWith(() => ({ toolCalls: [{ name: 'end_call', arguments: { closing_line: 'Bye' } }] }));
      const runner = client.chat.completions.stream({ model: 'gpt-test', messages: [{ role: 'user', content: 'bye' }] });
      const final = await runner.finalChatCompletion();
      expect(
        final.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && [call.function.name, call.function.arguments]),
      ).toEqual([['end_call', '{"closing_line":"Bye"}']]);
    } finally {
      await fake.close();
    }
  });
});

describe('fake ElevenLabs with the ElevenLabs SDK', () => {
  it('returns audio for the requested voice', async () => {
    const fake = await startFakeElevenLabs();
    try {
      const client = new ElevenLabsClient({ apiKey: 'test', baseUrl: fake.baseUrl, maxRetries: 0 });
      const stream = await client.textToSpeech.convert('voice-a', { text: 'Hello there' });
      const chunks: Uint8Array[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(Buffer.concat(chunks)).toEqual(fakeAudioFor('voice-a', 'Hello there'));
      expect(fake.ttsRequests()).toEqual([expect.objectContaining({ voiceId: 'voice-a', text: 'Hello there' })]);
    } finally {
      await fake.close();
    }
  });
});

describe('fake Twilio with the twilio SDK', () => {
  it('accepts a message with the account credentials, after a queued failure', async () => {
    const fake = await startFakeTwilio();
    class LocalRequestClient extends twilio.RequestClient {
      override request<T>(opts: Parameters<twilio.RequestClient['request']>[0]) {
        return super.request<T>({ ...opts, uri: opts.uri.replace('https://api.twilio.com', fake.url) } as never);
      }
    }
    try {
      const client = twilio('AC' + '1'.repeat(32), 'secret-token', { httpClient: new LocalRequestClient() });
      fake.queueFailures({ status: 500, body: { code: 20500, message: 'Internal Server Error' } });
      await expect(client.messages.create({ to: '+12125550123', from: '+12125550100', body: 'hi' })).rejects.toMatchObject({ status: 500 });
      const message = await client.messages.create({ to: '+12125550123', from: '+12125550100', body: 'hi' });
      expect(message.sid).toMatch(/^SM/);
      expect(fake.sentMessages()).toEqual([
        expect.objectContaining({ username: 'AC' + '1'.repeat(32), password: 'secret-token', to: '+12125550123' }),
      ]);
    } finally {
      await fake.close();
    }
  });
});
