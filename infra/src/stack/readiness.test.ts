import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFreePort } from './processes';
import { probeReadyz, renderStatusTable } from './readiness';

function listen(status: number): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    response.statusCode = request.url === '/readyz' ? status : 404;
    response.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('probeReadyz', () => {
  it('is ready on a 2xx from /readyz', async () => {
    const { server, url } = await listen(200);
    await expect(probeReadyz(url)).resolves.toEqual({ ready: true, detail: 'ready' });
    server.close();
  });

  it('reports the status of a service that is up but not ready', async () => {
    const { server, url } = await listen(503);
    await expect(probeReadyz(url)).resolves.toEqual({ ready: false, detail: 'HTTP 503' });
    server.close();
  });

  it('reports a port nobody listens on', async () => {
    const port = await findFreePort();
    await expect(probeReadyz(`http://127.0.0.1:${port}`)).resolves.toEqual({ ready: false, detail: 'not listening' });
  });
});

describe('renderStatusTable', () => {
  it('aligns the columns under a header', () => {
    const table = renderStatusTable([
      { service: 'gateway', address: 'http://127.0.0.1:5000', status: 'ready' },
      { service: 'memory worker', address: '(no HTTP; checked by process)', status: 'NOT RUNNING' },
    ]);
    expect(table.split('\n')).toEqual([
      'SERVICE        URL                            HEALTH',
      '-'.repeat(13 + 29 + 11 + 4),
      'gateway        http://127.0.0.1:5000          ready',
      'memory worker  (no HTTP; checked by process)  NOT RUNNING',
    ]);
  });
});
