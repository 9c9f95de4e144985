import { TimeoutError } from '../lib/timeout';
import { failureKind } from './report-failure';

describe('failureKind', () => {
  it('reads our own timeout, and SDK timeouts by name', () => {
    expect(failureKind(new TimeoutError('x', 10))).toBe('timeout');
    expect(failureKind(Object.assign(new Error('Request timed out.'), { name: 'APIConnectionTimeoutError' }))).toBe('timeout');
  });

  it('finds a refused connection however deep the SDK wrapped it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const fetchFailed = new TypeError('fetch failed', { cause: refused });
    expect(failureKind(fetchFailed)).toBe('unavailable');
    expect(failureKind(new Error('ElevenLabsError', { cause: fetchFailed }))).toBe('unavailable');
    expect(failureKind(new Error('Connection is closed.'))).toBe('unavailable');
  });

  it('calls anything else an error', () => {
    expect(failureKind(Object.assign(new Error('500 server error'), { status: 500 }))).toBe('error');
    expect(failureKind('a string')).toBe('error');
  });
});
