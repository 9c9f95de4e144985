import { XMLParser } from 'fast-xml-parser';

// A small reader of TwiML documents, for the call simulator (and tests): Twilio's side of the
// conversation needs to know which verbs came, in which order, with which attributes.

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Keep document order and repeated elements: TwiML verbs are a sequence.
  preserveOrder: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
});

/** One TwiML element: its verb, attributes, text and children, in document order. */
export interface TwimlNode {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

type PreservedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNodes(preserved: PreservedNode[]): TwimlNode[] {
  const nodes: TwimlNode[] = [];
  for (const entry of preserved) {
    const name = Object.keys(entry).find((key) => key !== ':@');
    if (!name || name === '#text' || name === '?xml') continue;
    const content = (entry[name] ?? []) as PreservedNode[];
    nodes.push({
      name,
      attributes: entry[':@'] ?? {},
      text: content
        .filter((child) => '#text' in child)
        .map((child) => String(child['#text']))
        .join(''),
      children: toNodes(content),
    });
  }
  return nodes;
}

/** Parses TwiML and returns the children of <Response>; throws when the document is not a TwiML response. */
export function parseTwiml(xml: string): TwimlNode[] {
  const root = toNodes(xmlParser.parse(xml) as PreservedNode[]);
  const response = root.find((node) => node.name === 'Response');
  if (!response || root.length !== 1) throw new Error(`not a TwiML <Response>: ${xml}`);
  return response.children;
}
