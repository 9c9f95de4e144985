import { personalityScaleNames } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';

export interface PromptContextInput {
  template: IndustryTemplateDefinition;
  quickBio: string | null;
  name: string | null;
  knownFacts: Record<string, unknown>;
  recentSummaries: Array<{ summary: string; createdAt: string }>;
  recentMemories: Array<{ content: string }>;
  personality: { averages: Record<string, number>; sampleCount: number } | null;
}

/**
 * The caller block of the agent's system prompt: plain text, facts labelled with the pinned
 * template's field labels and introduced by its `knownFactsIntro`. Empty when nothing is known,
 * so a new caller adds nothing to the prompt.
 */
export function renderPromptContext(input: PromptContextInput): string {
  const sections: string[] = [];
  const header = input.quickBio ?? input.name;
  if (header) sections.push(`Caller: ${header}`);

  const labels = new Map(input.template.fields.map((field) => [field.key, field.label]));
  const facts = Object.entries(input.knownFacts).flatMap(([key, value]) => {
    const text = factText(value);
    return text === null ? [] : [`- ${labels.get(key) ?? key}: ${text}`];
  });
  if (facts.length > 0) {
    const intro = input.template.promptFragments.knownFactsIntro ?? 'What you already know about this caller:';
    sections.push([intro, ...facts].join('\n'));
  }

  if (input.recentMemories.length > 0) {
    sections.push(['Notes from earlier conversations:', ...input.recentMemories.map((memory) => `- ${memory.content}`)].join('\n'));
  }

  if (input.recentSummaries.length > 0) {
    const lines = input.recentSummaries.map((summary) => `- ${summary.createdAt.slice(0, 10)}: ${summary.summary}`);
    sections.push(['Recent calls (newest first):', ...lines].join('\n'));
  }

  if (input.personality && input.personality.sampleCount > 0) {
    const scores = personalityScaleNames.flatMap((scale) => {
      const value = input.personality?.averages[scale];
      return typeof value === 'number' ? [`${scale.replace('_', ' ')} ${Math.round(value)}`] : [];
    });
    if (scores.length > 0) {
      sections.push(`Caller style (0-100, over ${input.personality.sampleCount} call(s)): ${scores.join(', ')}. Adapt your tone to it.`);
    }
  }
  return sections.join('\n\n');
}

function factText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join(', ') : null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value).trim();
  return text === '' ? null : text;
}
