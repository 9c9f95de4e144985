import { randomUUID } from 'node:crypto';
import type { ServiceName, ServiceTokenSigner } from '@neurosphere/auth';
import { context, propagation } from '@opentelemetry/api';
import { initClient, isZodType, tsRestFetchApi } from '@ts-rest/core';
import type { ApiFetcher, AppRouter, InitClientReturn } from '@ts-rest/core';
import { currentRequestId } from './request-context';
import { REQUEST_ID_HEADER } from './request-logger';

/** Why a call to another service gave no usable answer (also a metrics label, so a small set). */
export type UpstreamFailureReason = 'timeout' | 'unreachable' | 'error_status' | 'not_found' | 'invalid_response';

/**
 * The one error a service client throws: the caller decides the degraded answer, logs and counts.
 *
 * `permanent` says whether sending the same request again can help. It is true when the service
 * refused the request (a 4xx other than 408 Request Timeout and 429 Too Many Requests, 404
 * included) or answered with something its contract does not allow (`invalid_response`, an answer
 * for another tenant included): the same request gets the same answer. Timeouts, unreachable
 * services, 5xx, 408 and 429 are transient, and so is a status the caller did not expect outside
 * 4xx (e.g. 200 where 202 was expected).
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly service: ServiceName;
  /** The caller's name for the request (e.g. "turn"), for logs and metrics labels. */
  readonly operation: string;
  readonly reason: UpstreamFailureReason;
  /** The HTTP status, when the service answered one. */
  readonly status: number | undefined;
  /**
   * The `code` of the service's error body (e.g. RECIPIENT_OPTED_OUT), when it answered one: what
   * a caller needs to tell one refusal from another with the same status.
   */
  readonly code: string | undefined;
  readonly permanent: boolean;
  /** The x-request-id the request carried, to find it in the other service's logs. */
  readonly requestId: string | undefined;

  constructor(options: {
    service: ServiceName;
    operation: string;
    reason: UpstreamFailureReason;
    message: string;
    status?: number;
    code?: string;
    requestId?: string;
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.service = options.service;
    this.operation = options.operation;
    this.reason = options.reason;
    this.status = options.status;
    this.code = options.code;
    this.requestId = options.requestId;
    this.permanent = options.reason === 'invalid_response' || isRefusal(options.status);
  }
}

function isRefusal(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export interface ServiceClientOptions {
  /** The service called: the audience of every token sent, and the `service` of every UpstreamError. */
  service: ServiceName;
  /** Where it listens, e.g. http://127.0.0.1:8100 (a trailing slash is ignored). */
  baseUrl: string;
  /** Signs each request's bearer token for the request's tenant (and call). */
  signer: ServiceTokenSigner;
  /** The time limit of one request, answer body included, unless the call gives its own. */
  timeoutMs: number;
}

/** Who one request acts for, and how long it may take. */
export interface TenantCallScope {
  /** The tenant: the token's customer_id, and the only customer_id an answer may carry. */
  customerId: number;
  /** The phone call the request belongs to: the token's call_id. */
  callSid?: string;
  /**
   * Sent as x-request-id, so both services' logs carry the same id; when absent, the id of the
   * request being served (currentRequestId), else a new one.
   */
  requestId?: string;
  /** This request's time limit instead of the client's; 0 or less fails at once, nothing sent. */
  timeoutMs?: number;
}

/** For the few routes a contract leaves unauthenticated (audio by its secret token): no token, no tenant. */
export interface UnauthenticatedCallScope {
  unauthenticated: true;
  requestId?: string;
  timeoutMs?: number;
}

export type ServiceCallScope = TenantCallScope | UnauthenticatedCallScope;

/** What the kit hands each request: spread it into the ts-rest call (`client.turn({ ...init, body })`). */
export interface ServiceRequestInit {
  extraHeaders: Record<string, string>;
  fetchOptions: { signal: AbortSignal };
}

type ContractClient<C extends AppRouter> = InitClientReturn<C, { baseUrl: string; validateResponse: true; api: ApiFetcher }>;

interface ContractResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

export interface ServiceClient<C extends AppRouter> {
  /**
   * Sends one request through the contract's ts-rest client and returns the answer when it has
   * `expectStatus`, its body checked against the contract and, for a tenant's request, any
   * `customer_id` it carries checked against the tenant. Anything else throws an UpstreamError.
   */
  call<R extends ContractResponse, S extends R['status']>(
    operation: string,
    scope: ServiceCallScope,
    send: (client: ContractClient<C>, init: ServiceRequestInit) => Promise<R>,
    expectStatus: S,
  ): Promise<Extract<R, { status: S }>>;
}

/**
 * A typed client for one service's contract, the one way services call each other. Every request
 * carries a service token for its tenant, an x-request-id and a time limit; answers are validated
 * against the contract (`validateResponse`), and an answer naming another tenant is refused.
 */
export function createServiceClient<C extends AppRouter>(contract: C, options: ServiceClientOptions): ServiceClient<C> {
  const { service, signer } = options;
  const client: ContractClient<C> = initClient(contract, {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    validateResponse: true,
    api: fetchCheckingJson,
  });

  /** Every header the platform puts on a service-to-service request is added here. */
  async function requestHeaders(scope: ServiceCallScope, requestId: string): Promise<Record<string, string>> {
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId };
    // W3C traceparent of the active span (the incoming request's), so the callee's spans join its
    // trace; nothing when tracing is off. fetch (undici) is not auto-instrumented, hence by hand.
    propagation.inject(context.active(), headers);
    if (!('unauthenticated' in scope)) {
      const token = await signer.sign({ audience: service, customerId: scope.customerId, callId: scope.callSid });
      headers.authorization = `Bearer ${token}`;
    }
    return headers;
  }

  async function call<R extends ContractResponse, S extends R['status']>(
    operation: string,
    scope: ServiceCallScope,
    send: (client: ContractClient<C>, init: ServiceRequestInit) => Promise<R>,
    expectStatus: S,
  ): Promise<Extract<R, { status: S }>> {
    const requestId = scope.requestId ?? currentRequestId() ?? randomUUID();
    const timeoutMs = scope.timeoutMs ?? options.timeoutMs;
    const fail = (reason: UpstreamFailureReason, message: string, more: { status?: number; code?: string; cause?: unknown } = {}) =>
      new UpstreamError({ service, operation, reason, message, requestId, ...more });
    if (timeoutMs <= 0) throw fail('timeout', `${service} ${operation}: no time left to ask`);

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: R;
    try {
      response = await send(client, { extraHeaders: await requestHeaders(scope, requestId), fetchOptions: { signal: controller.signal } });
    } catch (error) {
      // The abort shows as whatever was in progress (connect, body read); the signal says it was ours.
      if (controller.signal.aborted) throw fail('timeout', `${service} ${operation} timed out after ${timeoutMs} ms`, { cause: error });
      if (isInvalidBody(error))
        throw fail('invalid_response', `${service} ${operation} answered with a body its contract does not allow`, { cause: error });
      throw fail('unreachable', `${service} ${operation} failed: ${messageOf(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }

    if (response.status !== expectStatus) {
      const reason = response.status === 404 ? 'not_found' : 'error_status';
      const code = errorCodeOf(response.body);
      throw fail(reason, `${service} answered HTTP ${response.status}${describeErrorBody(response.body)}`, {
        status: response.status,
        ...(code === undefined ? {} : { code }),
      });
    }
    if (!('unauthenticated' in scope)) {
      const answeredFor = customerIdOf(response.body);
      if (answeredFor !== undefined && answeredFor !== scope.customerId) {
        // Never let another tenant's data into this tenant's request.
        throw fail('invalid_response', `${service} ${operation} answered for customer ${String(answeredFor)}, not ${scope.customerId}`, {
          status: response.status,
        });
      }
    }
    return response as Extract<R, { status: S }>;
  }

  return { call };
}

/**
 * ts-rest's own fetch, plus the check it leaves out: it validates JSON bodies only, so a success
 * whose body is not JSON (an HTML page from a proxy) would reach the caller unchecked where the
 * contract promises a JSON body. Error statuses keep whatever body they have.
 */
const fetchCheckingJson: ApiFetcher = async (args) => {
  const response = await tsRestFetchApi(args);
  const schema: unknown = args.route.responses[response.status];
  const contentType = response.headers.get('content-type') ?? '';
  const isJson = contentType.includes('application/') && contentType.includes('json');
  if (response.status >= 200 && response.status < 300 && isZodType(schema) && !isJson) {
    throw new NotJsonBodyError(`expected a JSON body, got ${contentType || 'no content type'}`);
  }
  return response;
};

class NotJsonBodyError extends Error {
  override readonly name = 'NotJsonBodyError';
}

/**
 * A body that breaks the contract (ZodError), is not JSON though it says so (SyntaxError) or is
 * not JSON at all. By name: fetch's errors come from Node's own realm under jest.
 */
function isInvalidBody(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  return name === 'ZodError' || name === 'SyntaxError' || name === 'NotJsonBodyError';
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED ...) is in its cause. Duck-typed, as above. */
function messageOf(error: unknown): string {
  const text = (value: unknown) =>
    typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string' ? value.message : String(value);
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
  return cause === undefined ? text(error) : `${text(error)} (${text(cause)})`;
}

function customerIdOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null && 'customer_id' in body ? body.customer_id : undefined;
}

function errorCodeOf(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string' ? body.code : undefined;
}

function describeErrorBody(body: unknown): string {
  return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? `: ${body.error}` : '';
}
