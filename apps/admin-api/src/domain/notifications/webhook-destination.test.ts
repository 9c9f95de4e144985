import { webhookDestinationProblem } from './webhook-destination';

const publicOnly = { allowPrivateAddresses: false };

describe('webhookDestinationProblem', () => {
  it.each([
    ['http://127.0.0.1:8100/v2/erase', '127.0.0.1'],
    ['http://10.1.2.3/hooks', '10.1.2.3'],
    ['http://172.20.0.5/hooks', '172.20.0.5'],
    ['http://192.168.1.10/hooks', '192.168.1.10'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://100.64.0.1/hooks', '100.64.0.1'],
    ['http://0.0.0.0:5432/', '0.0.0.0'],
    ['http://[::1]:6379/', '::1'],
    ['http://[fd00::5]/hooks', 'fd00::5'],
    ['http://[fe80::1]/hooks', 'fe80::1'],
    ['http://[::ffff:10.0.0.1]/hooks', '::ffff:a00:1'],
  ])('refuses %s, which is not a public address', async (url, address) => {
    await expect(webhookDestinationProblem(url, publicOnly)).resolves.toContain(`is at ${address}, which is not a public address`);
  });

  it('refuses a name that resolves to loopback', async () => {
    await expect(webhookDestinationProblem('https://localhost/hooks', publicOnly)).resolves.toMatch(
      /the host localhost is at (127\.0\.0\.1|::1), which is not a public address/,
    );
  });

  it('refuses a name that does not resolve', async () => {
    await expect(webhookDestinationProblem('https://crm.invalid/hooks', publicOnly)).resolves.toBe('the host crm.invalid does not resolve');
  });

  it('accepts public addresses', async () => {
    await expect(webhookDestinationProblem('https://8.8.8.8/hooks', publicOnly)).resolves.toBeNull();
    await expect(webhookDestinationProblem('https://[2001:4860:4860::8888]/hooks', publicOnly)).resolves.toBeNull();
  });

  it('accepts private addresses where the deployment allows them (development, tests)', async () => {
    await expect(webhookDestinationProblem('http://127.0.0.1:9999/hooks', { allowPrivateAddresses: true })).resolves.toBeNull();
  });
});
