import { AsyncLocalStorage } from 'node:async_hooks';

/** What every piece of work started by one incoming request can see without it being passed along. */
interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` (and everything it starts) as part of the request `requestId`. */
export function runWithRequestId<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/**
 * The id of the request being served, if any: service clients send it on as x-request-id, so one
 * id follows a call through gateway, orchestrator, memory and sms logs without every domain
 * function passing it along.
 */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
