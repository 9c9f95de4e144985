// A CRM developer's receiver: the verifier docs/WEBHOOKS.md shows ("In Node.js"), run exactly as
// the page prints it, so the documented code is what the test proves against the real deliveries.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { repoRoot } from './service-processes';

type Verify = (rawBody: string, header: string, secret: string) => boolean;

function documentedVerifier(): Verify {
  const page = readFileSync(path.join(repoRoot, 'docs', 'WEBHOOKS.md'), 'utf8');
  const snippet = /```js\n([\s\S]*?)\n```/.exec(page.slice(page.indexOf('## Checking the signature')))?.[1];
  if (!snippet) throw new Error('docs/WEBHOOKS.md shows no Node.js verifier under "Checking the signature"');
  return runInNewContext(`${snippet}\nverify;`, { require, Buffer }) as Verify;
}

export function verifyWebhookSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  return header !== undefined && documentedVerifier()(rawBody, header, secret);
}
