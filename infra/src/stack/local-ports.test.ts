import net from 'node:net';
import { checkAppPortsFree, localPortVariable, localServicePorts } from './local-ports';
import { findFreePort } from './processes';
import { HTTP_SERVICES } from './service-catalog';

describe('localServicePorts', () => {
  it('uses each service catalog port unless LOCAL_<SERVICE>_PORT moves it', () => {
    const ports = localServicePorts({ LOCAL_ADMIN_API_PORT: '18200' });
    expect(ports['admin-api']).toBe(18200);
    for (const service of HTTP_SERVICES.filter((candidate) => candidate.name !== 'admin-api'))
      expect(ports[service.name]).toBe(service.port);
  });

  it('names the variable of a port that is not one', () => {
    expect(localPortVariable('admin-api')).toBe('LOCAL_ADMIN_API_PORT');
    expect(() => localServicePorts({ LOCAL_GATEWAY_PORT: '70000' })).toThrow('LOCAL_GATEWAY_PORT must be a port number, not "70000"');
  });
});

describe('checkAppPortsFree', () => {
  it('names the service whose port is taken, and passes when every port is free', async () => {
    const ports = localServicePorts({});
    for (const service of HTTP_SERVICES) ports[service.name] = await findFreePort();
    await expect(checkAppPortsFree(ports)).resolves.toBeUndefined();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen({ port: ports.memory, host: '127.0.0.1' }, resolve));
    try {
      await expect(checkAppPortsFree(ports)).rejects.toThrow(`ports already in use: memory (${ports.memory}).`);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
