import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { TenantSnapshot } from '../../tenants/tenant-snapshot';
import { toOpenAiTool } from './define-tool';
import type { AgentTool } from './define-tool';
import { endCall } from './end-call';
import { requestCallback } from './request-callback';
import { sendSms } from './send-sms';
import { takeMessage } from './take-message';
import { transferToHuman } from './transfer-to-human';

/** Every tool the agent has, in the order the model and the prompt see them. A new tool is one line here. */
export const AGENT_TOOLS: readonly AgentTool[] = [transferToHuman, takeMessage, requestCallback, sendSms, endCall];

const TOOLS_BY_NAME = new Map(AGENT_TOOLS.map((tool) => [tool.name, tool]));
// Built once: the schemas never change while the process runs.
const OPENAI_TOOLS = new Map(AGENT_TOOLS.map((tool) => [tool.name, toOpenAiTool(tool)]));

export function findTool(name: string): AgentTool | undefined {
  return TOOLS_BY_NAME.get(name);
}

export function isAvailable(tool: AgentTool, tenant: TenantSnapshot): boolean {
  return tool.available?.(tenant) ?? true;
}

/** The tool list of a turn: the tools this tenant's calls offer. */
export function openAiToolsFor(tenant: TenantSnapshot): ChatCompletionFunctionTool[] {
  return AGENT_TOOLS.filter((tool) => isAvailable(tool, tenant)).map((tool) => OPENAI_TOOLS.get(tool.name)!);
}

/** The prompt's lines on using the tools: each offered tool's guideline, and what to do instead of the others. */
export function toolGuidelines(tenant: TenantSnapshot): string[] {
  return AGENT_TOOLS.flatMap((tool) => {
    const guideline = isAvailable(tool, tenant) ? tool.guideline : tool.unavailable?.guideline;
    return guideline ? [guideline] : [];
  });
}
