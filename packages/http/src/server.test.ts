import http from 'node:http';
import express from 'express';
import { captureLogs } from '../test/log-capture';
import { startServer } from './server';

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: new http.Agent({ keepAlive: true }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('startServer', () => {
  it("gives requests and responses the app's own prototypes, so Express need not swap them per request", async () => {
    const app = express();
    app.get('/echo', (req, res) => {
      res.json({
        requestHasAppPrototype: Object.getPrototypeOf(req) === app.request,
        responseHasAppPrototype: Object.getPrototypeOf(res) === app.response,
        isIncomingMessage: req instanceof http.IncomingMessage,
        isServerResponse: res instanceof http.ServerResponse,
        // Built by a subclass whose prototype is the app's (the construction V8 optimizes), not by
        // Node's class with the app's prototype attached to each object.
        builtByAppClass:
          Object.getPrototypeOf(req) === req.constructor.prototype && Object.getPrototypeOf(res) === res.constructor.prototype,
        knowsItsApp: req.app === app && res.app === app,
        // Express's request and response helpers and Node's own fields both work.
        host: req.get('host') === `127.0.0.1:${port}`,
        query: req.query.q,
        httpVersion: req.httpVersion,
      });
    });
    const { port, server } = await startServer({ app, port: 0, host: '127.0.0.1', logger: captureLogs().logger, exit: () => {} });
    // Node builds them with the app's prototypes before Express sees them.
    const arrivedWith: boolean[] = [];
    server.prependListener('request', (req, res) => {
      arrivedWith.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    });
    try {
      await get(port, '/echo?q=first');
      const { status, body } = await get(port, '/echo?q=yes');
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({
        requestHasAppPrototype: true,
        responseHasAppPrototype: true,
        isIncomingMessage: true,
        isServerResponse: true,
        builtByAppClass: true,
        knowsItsApp: true,
        host: true,
        query: 'yes',
        httpVersion: '1.1',
      });
      expect(arrivedWith).toEqual([true, true, true, true]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('builds requests by their own class when one app is started twice', async () => {
    const app = express();
    app.get('/class', (req, res) => {
      res.json(Object.getPrototypeOf(req) === req.constructor.prototype && Object.getPrototypeOf(res) === res.constructor.prototype);
    });
    const started = [];
    try {
      for (let i = 0; i < 2; i++) {
        started.push(await startServer({ app, port: 0, host: '127.0.0.1', logger: captureLogs().logger, exit: () => {} }));
      }
      expect((await get(started[1]!.port, '/class')).body).toBe('true');
    } finally {
      for (const { server } of started) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it('finishes an in-flight request, then runs onShutdown, then exits 0', async () => {
    const events: string[] = [];
    let arrived!: () => void;
    let releaseRequest!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const requestReleased = new Promise<void>((resolve) => (releaseRequest = resolve));
    const app = express();
    app.get('/slow', async (_req, res) => {
      arrived();
      await requestReleased;
      events.push('response sent');
      res.json({ done: true });
    });
    const { port, shutdown, server } = await startServer({
      app,
      port: 0,
      host: '127.0.0.1',
      logger: captureLogs().logger,
      onShutdown: [async () => void events.push('pool closed'), async () => void events.push('redis closed')],
      exit: (code) => events.push(`exit ${code}`),
    });

    const inFlight = get(port, '/slow');
    await requestArrived;
    const drained = shutdown('SIGTERM');
    expect(server.listening).toBe(false);
    await expect(get(port, '/slow')).rejects.toThrow(/ECONNREFUSED/);

    releaseRequest();
    await expect(inFlight).resolves.toEqual({ status: 200, body: '{"done":true}' });
    await drained;
    expect(events).toEqual(['response sent', 'pool closed', 'redis closed', 'exit 0']);
  });

  it('exits 1 when a shutdown step fails', async () => {
    const exits: number[] = [];
    const { shutdown } = await startServer({
      app: express(),
      port: 0,
      host: '127.0.0.1',
      logger: captureLogs().logger,
      onShutdown: [() => Promise.reject(new Error('redis quit failed'))],
      exit: (code) => exits.push(code),
    });
    await shutdown('test');
    expect(exits).toEqual([1]);
  });
});
