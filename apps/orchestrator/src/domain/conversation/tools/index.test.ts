import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZodRawShape } from 'zod';
import { testTenantSnapshot } from '../../../../test/call-fixtures';
import { buildSystemPrompt } from '../build-system-prompt';
import { AGENT_TOOLS, openAiToolsFor, toolGuidelines } from './index';

const withTransfer = testTenantSnapshot({ transferNumber: '+12125550150' });
const withoutTransfer = testTenantSnapshot({ transferNumber: null });

describe('tool registry', () => {
  it('registers each tool once, under its wire name, from a file named after it', () => {
    const names = AGENT_TOOLS.map((tool) => tool.name);
    expect(names).toEqual(['transfer_to_human', 'take_message', 'request_callback', 'send_sms', 'end_call']);
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

  it("sends OpenAI each tool's JSON schema as generated from its zod arguments", () => {
    const sent = new Map(openAiToolsFor(withTransfer).map((tool) => [tool.function.name, tool.function]));
    for (const tool of AGENT_TOOLS) {
      const shape: ZodRawShape = tool.args.shape;
      const fields = Object.entries(shape);
      const required = fields.filter(([, field]) => !field.isOptional()).map(([name]) => name);
      expect(sent.get(tool.name)).toEqual({
        name: tool.name,
        description: tool.description,
        parameters: {
          type: 'object',
          properties: Object.fromEntries(
            fields.map(([name, field]) => [name, expect.objectContaining({ type: 'string', description: field.description })]),
          ),
          ...(required.length > 0 ? { required } : {}),
          additionalProperties: false,
        },
      });
    }
    // One in full: length limits come along; no `strict`, so optional fields stay optional.
    expect(sent.get('request_callback')?.parameters).toEqual({
      type: 'object',
      properties: {
        reason: { type: 'string', minLength: 1, maxLength: 2000, description: 'What the callback is about' },
        caller_name: { type: 'string', maxLength: 200, description: 'The caller’s name, if given' },
        callback_time: { type: 'string', maxLength: 200, description: 'When to call back, as the caller said it' },
      },
      required: ['reason'],
      additionalProperties: false,
    });
  });

  it('offers transfer_to_human only when the tenant can transfer', () => {
    expect(openAiToolsFor(withTransfer).map((tool) => tool.function.name)).toEqual([
      'transfer_to_human',
      'take_message',
      'request_callback',
      'send_sms',
      'end_call',
    ]);
    expect(openAiToolsFor(withoutTransfer).map((tool) => tool.function.name)).not.toContain('transfer_to_human');
  });

  it("puts the guideline of each offered tool in the prompt, and the other tools' alternative", () => {
    for (const tenant of [withTransfer, withoutTransfer]) {
      const prompt = buildSystemPrompt({ tenant, callerContext: { knownCaller: false, promptContext: '' } });
      const offered = new Set(openAiToolsFor(tenant).map((tool) => tool.function.name));
      for (const tool of AGENT_TOOLS) {
        if (offered.has(tool.name)) expect(prompt).toContain(`- ${tool.guideline}`);
        else expect(prompt).not.toContain(tool.name);
      }
      for (const guideline of toolGuidelines(tenant)) expect(prompt).toContain(`- ${guideline}`);
    }
    expect(toolGuidelines(withoutTransfer)).toContain(
      'Nobody is available for live transfers; offer to take a message or arrange a callback instead.',
    );
  });
});
