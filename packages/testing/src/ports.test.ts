import { createConnection, createServer } from 'node:net';
import { freePort, startSilentTcpServer } from './ports';

describe('freePort', () => {
  it('gives a port nothing listens on, which can then be bound', async () => {
    const port = await freePort();
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('startSilentTcpServer', () => {
  it('accepts a connection and never writes to it', async () => {
    const silent = await startSilentTcpServer();
    const received: Buffer[] = [];
    const socket = createConnection({ host: '127.0.0.1', port: silent.port });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('PING\r\n');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await silent.close();
    await closed;
    expect(received).toEqual([]);
  });
});
