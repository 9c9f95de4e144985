import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createProviderFetch } from './provider-fetch';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  remotePort: number | undefined;
}

/** A real HTTP server on 127.0.0.1 that records what it got and answers per path. */
async function startServer(answer: (seen: Seen, res: ServerResponse) => void): Promise<{ server: Server; base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      seen.push(entry);
      answer(entry, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('createProviderFetch', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  const providerFetch = createProviderFetch({ requestTimeoutMs: 2_000 });

  beforeAll(async () => {
    ({ server, base, seen } = await startServer((request, res) => {
      if (request.url === '/json') {
        res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
        res.end(JSON.stringify({ echoed: request.body }));
      } else if (request.url === '/gzip') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end(gzipSync('compressed words'));
      } else if (request.url === '/audio') {
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        res.write(Buffer.from([1, 2, 3]));
        setTimeout(() => res.end(Buffer.from([4, 5])), 10);
      } else if (request.url === '/stall') {
        res.writeHead(200, { 'content-type': 'audio/mpeg' });
        res.write(Buffer.from([1, 2, 3])); // and never the rest
      } else if (request.url === '/hang') {
        // never answers: the caller's signal has to end it
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such thing');
      }
    }));
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  it('sends method, headers and a JSON body, and answers status, headers and body like fetch', async () => {
    const response = await providerFetch(`${base}/json`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer sk-test' }),
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(await response.json()).toEqual({ echoed: '{"hello":"world"}' });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['authorization']).toBe('Bearer sk-test');
    expect(request.headers['content-type']).toBe('application/json');
  });

  it('reuses the connection for the next request (keep-alive)', async () => {
    await (await providerFetch(`${base}/json`, { method: 'POST', body: '1' })).text();
    await (await providerFetch(new URL(`${base}/json`), { method: 'POST', body: '2' })).text();
    const [first, second] = seen.slice(-2);
    expect(second!.remotePort).toBe(first!.remotePort);
  });

  it('passes error statuses through for the SDK to turn into its own errors', async () => {
    const response = await providerFetch(`${base}/missing`);
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(await response.text()).toBe('no such thing');
  });

  it('decompresses a gzip body', async () => {
    expect(await (await providerFetch(`${base}/gzip`)).text()).toBe('compressed words');
  });

  it('streams a binary body that can be read with for await, as the TTS client does', async () => {
    const response = await providerFetch(`${base}/audio`);
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect([...Buffer.concat(chunks)]).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives up when the signal aborts, with an AbortError', async () => {
    const controller = new AbortController();
    const pending = providerFetch(`${base}/hang`, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('does not send a request whose signal was aborted before the call', async () => {
    const before = seen.length;
    await expect(providerFetch(`${base}/json`, { method: 'POST', body: 'x', signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(seen.length).toBe(before);
  });

  it('aborts a request that outlives its time limit, without any signal from the caller', async () => {
    const limited = createProviderFetch({ requestTimeoutMs: 50 });
    await expect(limited(`${base}/hang`)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('applies the time limit to the body too: a stream that stalls halfway is ended with an error', async () => {
    const limited = createProviderFetch({ requestTimeoutMs: 100 });
    const response = await limited(`${base}/stall`);
    const read = async () => {
      for await (const _chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        // keep reading until the limit ends the stream
      }
    };
    await expect(read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('hands bodies it does not send itself (form data) to the platform fetch, which encodes them', async () => {
    const response = await providerFetch(`${base}/json`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two' }) });
    expect(await response.json()).toEqual({ echoed: 'a=1&b=two' });
    expect(seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });
});
