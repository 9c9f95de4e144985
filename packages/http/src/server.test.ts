import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

  it('listens on loopback only unless given a host', async () => {
    const exits: number[] = [];
    const { server, shutdown } = await startServer({
      app: express(),
      port: 0,
      logger: captureLogs().logger,
      exit: (code) => exits.push(code),
    });
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    await shutdown('test');
    expect(exits).toEqual([0]);
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
