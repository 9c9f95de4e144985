import { readFileSync } from 'node:fs';
import path from 'node:path';
import { notificationEventDataSchemas, notificationEventTypes } from './notification-events';

/** The JSON examples of docs/WEBHOOKS.md's "data by type", with "..." ids made real. */
function documentedExamples(): Record<string, unknown> {
  const doc = readFileSync(path.resolve(__dirname, '../../../../docs/WEBHOOKS.md'), 'utf8');
  const section = doc.slice(doc.indexOf('### `data` by type'), doc.indexOf('## Checking the signature'));
  const examples: Record<string, unknown> = {};
  for (const match of section.matchAll(/^(`[a-z.]+`[^\n]*(?:\n[^\n]+)*)\n\n```json\n([\s\S]*?)\n```/gm)) {
    const types = [...(match[1] ?? '').matchAll(/`([a-z.]+)`/g)].map((type) => type[1] as string);
    const json = (match[2] ?? '')
      .replace(/"([0-9a-f]{4})\.\.\."/g, '"$1aaaa-0000-4000-8000-000000000000"')
      .replace(/"CA0123\.\.\."/g, '"CA0123"');
    for (const type of types) examples[type] = JSON.parse(json);
  }
  return examples;
}

describe('webhook payloads', () => {
  it('has a documented example of every event type, and each one is valid', () => {
    const examples = documentedExamples();
    expect(Object.keys(examples).sort()).toEqual([...notificationEventTypes].sort());
    for (const type of notificationEventTypes) {
      const parsed = notificationEventDataSchemas[type].safeParse(examples[type]);
      expect({ type, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type, issues: [] });
    }
  });
});
