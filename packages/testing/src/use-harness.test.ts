import { useHarness } from './use-harness';

const events: string[] = [];

describe('useHarness', () => {
  const harness = useHarness(() => {
    events.push('start');
    const name = 'started harness';
    return {
      name,
      describe: () => `the ${name}`,
      close: () => {
        events.push('close');
      },
    };
  });

  it('starts the harness before the tests and forwards to it', () => {
    expect(events).toEqual(['start']);
    expect(harness.name).toBe('started harness');
    const { describe: describeIt } = harness;
    expect(describeIt()).toBe('the started harness');
    expect({ ...harness }).toEqual(expect.objectContaining({ name: 'started harness' }));
    expect('name' in harness).toBe(true);
  });
});

describe('useHarness with a class instance', () => {
  class Client {
    private readonly calls: string[] = [];
    // Like an Express app: a function whose own `bind` is something else entirely.
    readonly app = Object.assign(() => 'handled', { bind: () => 'a route' });
    call(name: string): number {
      this.calls.push(name);
      return this.calls.length;
    }
  }
  const client = useHarness(() => new Client());

  it('hands out its fields as they are and runs its methods against it', () => {
    expect(client.app()).toBe('handled');
    expect(client.app.bind()).toBe('a route');
    expect(client.call('first')).toBe(1);
    expect(client.call('second')).toBe(2);
  });
});

describe('useHarness after its block', () => {
  it('closed the harness of the block before', () => {
    expect(events).toEqual(['start', 'close']);
  });
});

describe('useHarness read while the tests are declared', () => {
  const harness = useHarness(() => ({ close: () => undefined }));
  let error: unknown;
  try {
    void harness.close();
  } catch (caught) {
    error = caught;
  }

  it('throws a clear error', () => {
    expect(error).toEqual(new Error('the harness is used before it started (or after it closed): use it inside a test or hook'));
  });
});
