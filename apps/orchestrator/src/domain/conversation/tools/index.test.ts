import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodRawShape } from 'zod';
import { testTenantSnapshot, testToolCall } from '../../../../test/call-fixtures';
import { buildSystemPrompt } from '../build-system-prompt';
import { AGENT_TOOLS, openAiToolsFor, toolGuidelines } from './index';

const now = new Date();
const withTransfer = testToolCall({ tenant: testTenantSnapshot({ transferNumber: '+12125550150' }) });
const withoutTransfer = testToolCall({ tenant: testTenantSnapshot({ transferNumber: null }) });
const unverifiedCaller = testToolCall({
  callerContext: { knownCaller: true, promptContext: 'Name: Ana.', name: 'Ana Lopez', facts: [{ label: 'City', value: 'Springfield' }] },
  verification: { status: 'unverified', failedAttempts: 0 },
});

describe('tool registry', () => {
  it('registers each tool once, under its wire name, from a file named after it', () => {
    const names = AGENT_TOOLS.map((tool) => tool.name);
    expect(names).toEqual(['verify_caller', 'transfer_to_human', 'take_message', 'request_callback', 'send_sms', 'end_call']);
    const toolFiles = readdirSync(__dirname).filter(
      (file) => !file.endsWith('.test.ts') && /= defineTool\(/.test(readFileSync(join(__dirname, file), 'utf8')),
    );
    expect(toolFiles.map((file) => file.replace(/\.ts$/, '').replaceAll('-', '_')).sort()).toEqual([...names].sort());
  });

  it('gives every tool a description and a prompt guideline that names it', () => {
    for (const tool of AGENT_TOOLS) {
      expect(tool.description.trim()).not.toBe('');
      expect(tool.guideline.trim()).not.toBe('');
      expect(tool.guideline).toContain(tool.name);
    }
  });

  it('sends OpenAI strict tools: every field required, none extra, optional ones nullable', () => {
    const sent = new Map(openAiToolsFor(unverifiedCaller, now).map((tool) => [tool.function.name, tool.function]));
    for (const tool of AGENT_TOOLS) {
      const shape: ZodRawShape = tool.args.shape;
      const definition = sent.get(tool.name);
      expect(definition).toEqual({
        name: tool.name,
        description: tool.description,
        parameters: { type: 'object', properties: expect.any(Object), required: Object.keys(shape), additionalProperties: false },
        strict: true,
      });
      for (const [name, field] of Object.entries(shape)) {
        const property = (definition?.parameters?.properties as Record<string, { type: unknown; description?: string }>)[name];
        expect(property?.description).toBe(field.description);
        const nullable = field.safeParse(null).success;
        expect(Array.isArray(property?.type) ? property.type.includes('null') : false).toBe(nullable);
      }
    }
    // One in full: strict mode refuses length limits, so zod checks them (and the consent) before the tool runs.
    expect(sent.get('send_sms')?.parameters).toEqual({
      type: 'object',
      properties: {
        message: { type: 'string', description: 'The text to send' },
        consent: { type: 'boolean', description: 'True only when the caller said yes to receiving this text' },
      },
      required: ['message', 'consent'],
      additionalProperties: false,
    });
    expect(sent.get('request_callback')?.parameters).toEqual(
      expect.objectContaining({
        properties: expect.objectContaining({
          callback_time: expect.objectContaining({ type: ['string', 'null'] }),
          urgency: expect.objectContaining({ type: ['string', 'null'], enum: ['low', 'normal', 'high', null] }),
        }),
        required: ['reason', 'caller_name', 'callback_number', 'callback_time', 'urgency'],
      }),
    );
  });

  it('offers each tool only when it can work on this call', () => {
    const offered = (call: Parameters<typeof openAiToolsFor>[0]) => openAiToolsFor(call, now).map((tool) => tool.function.name);
    expect(offered(withTransfer)).toEqual(['transfer_to_human', 'take_message', 'request_callback', 'send_sms', 'end_call']);
    expect(offered(withoutTransfer)).not.toContain('transfer_to_human');
    expect(offered(unverifiedCaller)).toContain('verify_caller');
    expect(offered({ ...unverifiedCaller, verification: { status: 'verified', failedAttempts: 0 } })).not.toContain('verify_caller');
    expect(offered(testToolCall({ callerPhone: null }))).not.toContain('send_sms');
    expect(offered({ ...withTransfer, transferFailed: true })).not.toContain('transfer_to_human');
  });

  it("puts the guideline of each offered tool in the prompt, and the other tools' alternative", () => {
    for (const call of [withTransfer, withoutTransfer, unverifiedCaller]) {
      const prompt = buildSystemPrompt({ call, now });
      const offered = new Set(openAiToolsFor(call, now).map((tool) => tool.function.name));
      for (const tool of AGENT_TOOLS) {
        if (offered.has(tool.name)) expect(prompt).toContain(`- ${tool.guideline}`);
        else expect(prompt).not.toContain(`- ${tool.guideline}`);
      }
      for (const guideline of toolGuidelines(call, now)) expect(prompt).toContain(`- ${guideline}`);
    }
    expect(toolGuidelines(withoutTransfer, now)).toContain(
      'Nobody is available for live transfers right now; offer to take a message or arrange a callback instead.',
    );
  });
});
