import { adminApiContract, CSRF_HEADER, INSECURE_SESSION_COOKIE_NAMES, SESSION_COOKIE_NAMES } from '@neurosphere/contracts';
import type { ErrorResponse } from '@neurosphere/contracts';
import { initClient, tsRestFetchApi } from '@ts-rest/core';
import type { ApiFetcherArgs } from '@ts-rest/core';

/**
 * The one way the console talks to admin-api: ts-rest's client for the admin contract, on the
 * console's own origin (the dev server and the production server forward /v1 to admin-api).
 *
 * The session lives in httpOnly cookies the page never sees. The only thing read here is the CSRF
 * cookie, copied into the X-CSRF-Token header of every state-changing request. A 401 on an
 * authenticated route means the 15-minute access token expired: refresh once (the refresh cookie
 * is sent only to /v1/auth/) and retry; concurrent 401s share one refresh.
 */

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function readCsrfCookie(): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE_NAMES.csrf || name === INSECURE_SESSION_COOKIE_NAMES.csrf) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function withCsrf(args: ApiFetcherArgs): ApiFetcherArgs {
  const csrf = readCsrfCookie();
  if (!UNSAFE_METHODS.has(args.method.toUpperCase()) || !csrf) return args;
  return { ...args, headers: { ...args.headers, [CSRF_HEADER]: csrf } };
}

let refreshing: Promise<boolean> | undefined;

function refreshSession(): Promise<boolean> {
  const csrf = readCsrfCookie();
  refreshing ??= fetch('/v1/auth/refresh', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...(csrf ? { [CSRF_HEADER]: csrf } : {}) },
    body: '{}',
  })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

async function consoleFetch(args: ApiFetcherArgs) {
  const first = await tsRestFetchApi(withCsrf(args));
  const publicRoute = (args.route.metadata as { access?: string } | undefined)?.access === 'public';
  if (first.status !== 401 || publicRoute) return first;
  if (!(await refreshSession())) return first;
  return tsRestFetchApi(withCsrf(args));
}

export const api = initClient(adminApiContract, {
  baseUrl: '',
  baseHeaders: {},
  credentials: 'same-origin',
  api: consoleFetch,
  throwOnUnknownStatus: false,
});

/** A non-2xx answer of admin-api, carrying its message (shown to the user as it is). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponse | undefined,
  ) {
    super(body?.error ?? (status >= 500 ? 'The server could not answer; try again shortly' : `Request failed (${status})`));
  }
}

type Answer = { status: number; body: unknown };
type Success<T extends Answer> = Extract<T, { status: 200 | 201 | 202 }>['body'];

/**
 * The body of a 2xx answer, or an ApiError with the API's message. TanStack Query's queryFn and
 * mutationFn use this, so every page gets errors the same way.
 */
export async function ok<T extends Answer>(request: Promise<T>): Promise<Success<T>> {
  const answer = await request;
  if (answer.status >= 200 && answer.status < 300) return answer.body as Success<T>;
  const body = answer.body as Partial<ErrorResponse> | undefined;
  throw new ApiError(answer.status, body && typeof body.error === 'string' ? (body as ErrorResponse) : undefined);
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}
