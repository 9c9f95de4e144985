import type { CallState } from '../call-runtime/call-state';
import { toolGuidelines } from './tools';

export interface BuildSystemPromptOptions {
  tenant: CallState['tenant'];
  callerContext: CallState['callerContext'];
}

const DEFAULT_KNOWN_FACTS_INTRO = 'What you know about this caller from earlier calls:';

/**
 * The system prompt of every turn. Everything about the business comes from the tenant's settings
 * and its pinned industry template, everything about the caller from memory's prompt_context;
 * the lines written here are the platform's own rules for speaking on the phone, and each tool
 * brings its own line (tools/).
 */
export function buildSystemPrompt({ tenant, callerContext }: BuildSystemPromptOptions): string {
  const fragments = tenant.promptFragments;
  const lines: string[] = [`You are ${tenant.agentName}, answering the phone for ${tenant.businessName}.`];
  if (fragments?.role) lines.push(fragments.role);
  if (tenant.personality.trim()) lines.push(`Your personality: ${tenant.personality.trim()}`);

  const guidelines = [
    ...(fragments?.guidelines ?? []),
    'This is a phone call: answer in one to three short spoken sentences, with no lists, markdown or emoji.',
    'Ask one question at a time.',
    'Never invent facts about the business, its prices or its policies; if you do not know, offer to take a message.',
    ...toolGuidelines(tenant),
  ];
  lines.push('Guidelines:', ...guidelines.map((guideline) => `- ${guideline}`));
  lines.push(`You opened the call with: "${tenant.greeting}"`);

  const context = callerContext.promptContext.trim();
  if (context) lines.push(fragments?.knownFactsIntro ?? DEFAULT_KNOWN_FACTS_INTRO, context);
  return lines.join('\n');
}
