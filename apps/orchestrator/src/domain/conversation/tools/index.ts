import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { toOpenAiTool } from './define-tool';
import type { AgentTool, ToolCall } from './define-tool';
import { endCall } from './end-call';
import { requestCallback } from './request-callback';
import { sendSms } from './send-sms';
import { takeMessage } from './take-message';
import { transferToHuman } from './transfer-to-human';
import { verifyCaller } from './verify-caller';

/** Every tool the agent has, in the order the model and the prompt see them. A new tool is one line here. */
export const AGENT_TOOLS: readonly AgentTool[] = [verifyCaller, transferToHuman, takeMessage, requestCallback, sendSms, endCall];

const TOOLS_BY_NAME = new Map(AGENT_TOOLS.map((tool) => [tool.name, tool]));
// Built once: the schemas never change while the process runs.
const OPENAI_TOOLS = new Map(AGENT_TOOLS.map((tool) => [tool.name, toOpenAiTool(tool)]));

export function findTool(name: string): AgentTool | undefined {
  return TOOLS_BY_NAME.get(name);
}

export function isAvailable(tool: AgentTool, call: ToolCall, now: Date): boolean {
  return tool.available?.(call, now) ?? true;
}

/** The tool list of a turn: the tools this call offers now. */
export function openAiToolsFor(call: ToolCall, now: Date): ChatCompletionFunctionTool[] {
  return AGENT_TOOLS.filter((tool) => isAvailable(tool, call, now)).map((tool) => OPENAI_TOOLS.get(tool.name)!);
}

/** The prompt's lines on using the tools: each offered tool's guideline, and what to do instead of the others. */
export function toolGuidelines(call: ToolCall, now: Date): string[] {
  return AGENT_TOOLS.flatMap((tool) => {
    const guideline = isAvailable(tool, call, now) ? tool.guideline : tool.unavailable?.guideline;
    return guideline ? [guideline] : [];
  });
}
