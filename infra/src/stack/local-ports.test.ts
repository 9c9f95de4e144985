import { localPortVariable, localServicePorts } from './local-ports';
import { HTTP_SERVICES } from './service-catalog';

describe('localServicePorts', () => {
  it('uses each service catalog port unless LOCAL_<SERVICE>_PORT moves it', () => {
    const ports = localServicePorts({ LOCAL_ADMIN_API_PORT: '18200' });
    expect(ports['admin-api']).toBe(18200);
    for (const service of HTTP_SERVICES.filter((candidate) => candidate.name !== 'admin-api')) expect(ports[service.name]).toBe(service.port);
  });

  it('names the variable of a port that is not one', () => {
    expect(localPortVariable('admin-api')).toBe('LOCAL_ADMIN_API_PORT');
    expect(() => localServicePorts({ LOCAL_GATEWAY_PORT: '70000' })).toThrow('LOCAL_GATEWAY_PORT must be a port number, not "70000"');
  });
});
