import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake provider saw it: enough for a test to assert what the real SDK sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** JSON bodies parsed, form bodies as an object, anything else undefined. */
  body: unknown;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; Buffers and strings as they are. */
  body?: unknown;
  /** Wait this long before answering (to simulate a slow provider). */
  delayMs?: number;
  /** Never answer (to simulate a hanging provider); the socket is destroyed on close(). */
  hang?: boolean;
  /**
   * Send the body in pieces (a streamed answer, e.g. server-sent events): each chunk after its
   * delay. `hangAfter`: keep the response open after the last chunk, as a provider stalled mid-stream.
   */
  stream?: { chunks: Array<{ data: string; delayMs?: number }>; hangAfter?: boolean };
}

export type FakeRoute = (request: RecordedRequest, params: Record<string, string>) => FakeReply | Promise<FakeReply>;

export interface FakeServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  requests: RecordedRequest[];
  /** Replace the handler of a route (method + path pattern with :params) for the next requests. */
  on(method: string, pattern: string, route: FakeRoute): void;
  close(): Promise<void>;
}

function parseBody(contentType: string | undefined, raw: string): unknown {
  if (!raw) return undefined;
  if (contentType?.includes('application/json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return undefined;
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/');
  const pathParts = path.split('/');
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const expected = patternParts[i] ?? '';
    const actual = pathParts[i] ?? '';
    if (expected.startsWith(':')) {
      // ":accountSid.json": a parameter followed by a fixed suffix within the segment.
      const dot = expected.indexOf('.');
      const name = dot === -1 ? expected.slice(1) : expected.slice(1, dot);
      const suffix = dot === -1 ? '' : expected.slice(dot);
      if (!actual.endsWith(suffix) || actual.length === suffix.length) return null;
      // A path that does not decode (malformed percent-encoding) matches no route: 404, as on a real server.
      try {
        params[name] = decodeURIComponent(actual.slice(0, actual.length - suffix.length));
      } catch {
        return null;
      }
    } else if (expected !== actual) return null;
  }
  return params;
}

async function streamReply(res: ServerResponse, reply: FakeReply, stream: NonNullable<FakeReply['stream']>): Promise<void> {
  res.writeHead(reply.status ?? 200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  res.flushHeaders();
  for (const chunk of stream.chunks) {
    if (chunk.delayMs) await new Promise((resolve) => setTimeout(resolve, chunk.delayMs));
    // The client went away (it aborted the request): a real provider stops generating too.
    if (res.destroyed || res.writableEnded) return;
    res.write(chunk.data);
  }
  if (!stream.hangAfter) res.end();
}

/**
 * A small HTTP server on 127.0.0.1 that stands in for an external provider, so tests run the
 * provider's real SDK end to end. Unknown routes answer 404 so a wrong SDK call fails loudly.
 */
export async function startFakeServer(routes: Record<string, FakeRoute> = {}): Promise<FakeServer> {
  const table = new Map<string, FakeRoute>(Object.entries(routes));
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseBody(req.headers['content-type'], rawBody),
      };
      requests.push(recorded);
      void respond(recorded, res);
    });
  });

  async function respond(request: RecordedRequest, res: ServerResponse): Promise<void> {
    let reply: FakeReply = { status: 404, body: { error: `no fake route for ${request.method} ${request.path}` } };
    for (const [key, route] of table) {
      const [method, pattern] = key.split(' ');
      if (method !== request.method || !pattern) continue;
      const params = matchPath(pattern, request.path);
      if (!params) continue;
      try {
        reply = await route(request, params);
      } catch (error) {
        reply = { status: 500, body: { error: String(error) } };
      }
      break;
    }
    if (reply.hang) {
      hanging.add(res);
      return;
    }
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.stream) {
      await streamReply(res, reply, reply.stream);
      if (reply.stream.hangAfter && !res.destroyed) hanging.add(res);
      return;
    }
    const isRaw = Buffer.isBuffer(reply.body) || typeof reply.body === 'string';
    const payload = reply.body === undefined ? '' : isRaw ? (reply.body as Buffer | string) : JSON.stringify(reply.body);
    res.writeHead(reply.status ?? 200, {
      'content-type': isRaw ? 'application/octet-stream' : 'application/json',
      ...reply.headers,
    });
    res.end(payload);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on(method, pattern, route) {
      table.delete(`${method} ${pattern}`);
      // New handlers go first so a test can override a default route.
      const rest = [...table];
      table.clear();
      table.set(`${method} ${pattern}`, route);
      for (const [key, value] of rest) table.set(key, value);
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
