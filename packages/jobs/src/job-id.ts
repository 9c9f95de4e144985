declare const jobIdBrand: unique symbol;

/** A job id built by `jobId`: the only kind of id `defineJob` accepts. */
export type JobId = string & { readonly [jobIdBrand]: true };

/** One component of a job's key (an id from its payload). */
export type JobIdPart = string | number;

const KIND = /^[a-z][a-z0-9-]*$/;
/** Joins the parts of a composite key; encodeURIComponent escapes it inside a part, so keys stay unambiguous. */
const KEY_SEPARATOR = '+';

/**
 * The id of one piece of work: `<kind>:<customerId>:<key>`, e.g. `process-call:42:CA0123...`.
 * Enqueueing the same id again is a no-op in BullMQ while the job is kept, which is what makes
 * enqueueing idempotent; the tenant in the id keeps two tenants' work apart and lets an id be
 * read back (`parseJobId`).
 *
 * BullMQ's rule for custom ids (bullmq 6.7.0, `Job#validateOptions` in
 * node_modules/bullmq/dist/cjs/classes/job.js, src/classes/job.ts upstream): an id that reads as
 * an integer (`${parseInt(id, 10)}` === id) is refused ("Custom Id cannot be integers"), and an id
 * that contains ":" is refused unless it splits on ":" into exactly three parts ("Custom Id cannot
 * contain :"; the three-part form is kept there for old repeatable jobs, and a TODO beside it
 * plans to refuse every ":" in a later major version). So an id here is always exactly three
 * parts: the kind cannot hold ":" (checked), the tenant is an integer, and each key part is
 * URI-encoded (":" becomes "%3A"); and with two ":" it never reads as an integer. If BullMQ drops
 * the three-part form, the separator changes here alone, and with it every id: jobs queued before
 * that upgrade would no longer dedupe against the same work enqueued after it.
 */
export function jobId(kind: string, customerId: number, ...key: [JobIdPart, ...JobIdPart[]]): JobId {
  if (!KIND.test(kind)) throw new Error(`Job id kind "${kind}" must be lower-case letters, digits and "-", starting with a letter`);
  if (!Number.isSafeInteger(customerId) || customerId <= 0)
    throw new Error(`Job id needs a tenant (a positive integer customerId), got ${customerId}`);
  const parts = key.map(String);
  if (parts.some((part) => part === '')) throw new Error(`Job id ${kind}:${customerId} has an empty key part`);
  return `${kind}:${customerId}:${parts.map(encodeURIComponent).join(KEY_SEPARATOR)}` as JobId;
}

/** The parts of an id `jobId` built, or null for an id of any other shape. */
export function parseJobId(id: string): { kind: string; customerId: number; key: string[] } | null {
  const [kind, customerId, key, ...rest] = id.split(':');
  if (kind === undefined || customerId === undefined || key === undefined || rest.length > 0) return null;
  if (!KIND.test(kind) || !/^[1-9]\d*$/.test(customerId)) return null;
  try {
    return { kind, customerId: Number(customerId), key: key.split(KEY_SEPARATOR).map(decodeURIComponent) };
  } catch {
    return null; // a malformed %-escape: not an id of ours
  }
}
