import type { NextFunction, Request, Response } from 'express';
import { validationError } from './error-handler';

/** U+0000, or half of a UTF-16 surrogate pair without its other half. */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | null = visit; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join('.');
}

/**
 * The path (`body.metadata.note`) of the first string or key in `value` that PostgreSQL cannot
 * store, or null. Walks without recursion: a body may nest thousands of levels deep.
 */
export function findUnstorableText(value: unknown, root: string): string | null {
  const pending: Visit[] = [{ value, key: root, parent: null }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const current = visit.value;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) return pathOf(visit);
    } else if (current && typeof current === 'object') {
      const entries = Array.isArray(current) ? current.map((child, index) => [String(index), child] as const) : Object.entries(current);
      for (const [key, child] of entries.reverse()) {
        if (UNSTORABLE.test(key)) return pathOf({ value: child, key: key.replace(UNSTORABLE, '?'), parent: visit });
        pending.push({ value: child, key, parent: visit });
      }
    }
  }
  return null;
}

/**
 * JSON and query strings can carry "\u0000" and unpaired surrogates ("\ud800"), which PostgreSQL's
 * text and jsonb columns refuse: such a request would fail deep inside a write with a 500. Every
 * service refuses it here instead, with a 400 naming where the character is.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const where = findUnstorableText(req.body, 'body') ?? findUnstorableText(req.query, 'query');
  if (where) {
    next(validationError([{ path: where, message: 'contains a character that cannot be stored (U+0000 or an unpaired surrogate)' }]));
    return;
  }
  next();
}
