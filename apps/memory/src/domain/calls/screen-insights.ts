import type { CallInsights, ProfileChange } from '../templates/build-extraction-schema';
import { isInstructionLike, withoutInstructionLikeSentences } from '../transcripts/instruction-like';
import { CARD_LABEL, ID_LABEL, redactSensitive, SSN_LABEL } from '../transcripts/redact-sensitive';

/** What screening removed from one call's insights (logged; nothing of the text itself). */
export interface ScreeningReport {
  facts: number;
  changes: number;
  topics: number;
  summarySentences: boolean;
  callerName: boolean;
}

const REDACTION_LABELS = [CARD_LABEL, SSN_LABEL, ID_LABEL];
const ATTRIBUTED = /^(?:the\s+)?caller\s+(?:said|says|stated|mentioned|asked|reported|told|explained|confirmed|requested)\b/i;
const NO_SUMMARY = 'The call was summarized, but nothing of it could be kept.';
const MAX_TOPICS = 10;
const MAX_TOPIC_CHARS = 60;
const MAX_NAME_CHARS = 100;

/**
 * The model's insights made safe to store, deterministically, whatever the model wrote:
 * - every text has card numbers and government ids removed (redactSensitive), and a change whose
 *   value held one is dropped (a field never stores "[card number removed]");
 * - instruction-like text (isInstructionLike) is dropped: summary sentences, facts, topics, a
 *   caller name, and any change whose value or reason reads as one;
 * - facts are attributed: one that does not start "The caller said/asked ..." gets "The caller
 *   said: " in front, so a claim made in a call never reads as an established fact later.
 */
export function screenInsights(insights: CallInsights): { insights: CallInsights; removed: ScreeningReport } {
  const removed: ScreeningReport = { facts: 0, changes: 0, topics: 0, summarySentences: false, callerName: false };

  const redactedSummary = redactSensitive(insights.summary.trim());
  const keptSummary = withoutInstructionLikeSentences(redactedSummary);
  removed.summarySentences = keptSummary !== redactedSummary.replace(/\s+/g, ' ').trim();

  const facts = unique(
    insights.facts.flatMap((fact) => {
      const text = redactSensitive(fact.trim());
      if (text === '') return [];
      if (isInstructionLike(text)) {
        removed.facts += 1;
        return [];
      }
      return [ATTRIBUTED.test(text) ? text : `The caller said: ${text}`];
    }),
  );

  const topics = unique(
    insights.key_topics.flatMap((topic) => {
      const text = redactSensitive(topic.trim()).slice(0, MAX_TOPIC_CHARS);
      if (text === '') return [];
      if (isInstructionLike(text)) {
        removed.topics += 1;
        return [];
      }
      return [text];
    }),
  ).slice(0, MAX_TOPICS);

  let callerName = insights.caller_name === null ? null : redactSensitive(insights.caller_name.trim());
  if (
    callerName !== null &&
    (callerName === '' || callerName.length > MAX_NAME_CHARS || /[\d<>{}[\]]/.test(callerName) || isInstructionLike(callerName))
  ) {
    removed.callerName = callerName !== '';
    callerName = null;
  }

  const changes = insights.changes.flatMap((change) => {
    const screened = screenChange(change);
    if (screened === null) removed.changes += 1;
    return screened === null ? [] : [screened];
  });

  return {
    insights: {
      summary: keptSummary === '' ? NO_SUMMARY : keptSummary,
      key_topics: topics,
      caller_name: callerName,
      facts,
      changes,
      personality: insights.personality,
    },
    removed,
  };
}

/** The change with its texts redacted, or null when it must not be applied. */
function screenChange(change: ProfileChange): ProfileChange | null {
  const reason = redactSensitive(change.reason.trim());
  if (isInstructionLike(reason)) return null;
  if (change.action === 'unset') return { ...change, reason };
  const texts = typeof change.value === 'string' ? [change.value] : Array.isArray(change.value) ? change.value.map(String) : [];
  for (const text of texts) {
    const redacted = redactSensitive(text);
    if (redacted !== text || REDACTION_LABELS.some((label) => text.includes(label)) || isInstructionLike(text)) return null;
  }
  return { ...change, reason };
}

function unique(texts: string[]): string[] {
  const seen = new Set<string>();
  return texts.filter((text) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
