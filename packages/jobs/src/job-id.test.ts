import { jobId, parseJobId } from './job-id';

describe('jobId', () => {
  it('builds <kind>:<customerId>:<key>', () => {
    expect(jobId('process-call', 42, 'CA0123abc')).toBe('process-call:42:CA0123abc');
    expect(jobId('sms', 7, '1b4e28ba-2fa1-11d2-883f-0016d3cca427')).toBe('sms:7:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('keeps every id at exactly three ":"-parts, whatever the key holds', () => {
    expect(jobId('k', 1, 'a:b:c')).toBe('k:1:a%3Ab%3Ac');
    expect(jobId('k', 1, 'a', 2)).toBe('k:1:a+2');
    expect(jobId('k', 1, 'a+2')).toBe('k:1:a%2B2');
  });

  it.each([
    ['an upper-case kind', () => jobId('Process', 1, 'x'), 'must be lower-case'],
    ['a kind with ":"', () => jobId('a:b', 1, 'x'), 'must be lower-case'],
    ['a kind starting with a digit', () => jobId('1a', 1, 'x'), 'must be lower-case'],
    ['tenant 0', () => jobId('k', 0, 'x'), 'needs a tenant'],
    ['a fractional tenant', () => jobId('k', 1.5, 'x'), 'needs a tenant'],
    ['a NaN tenant', () => jobId('k', Number.NaN, 'x'), 'needs a tenant'],
    ['an empty key part', () => jobId('k', 1, 'x', ''), 'empty key part'],
  ])('refuses %s', (_case, build, message) => {
    expect(build).toThrow(message);
  });
});

describe('parseJobId', () => {
  it('reads back what jobId built', () => {
    expect(parseJobId(jobId('process-call', 42, 'CA:1'))).toEqual({ kind: 'process-call', customerId: 42, key: ['CA:1'] });
    expect(parseJobId(jobId('k', 3, 'a+b', 9))).toEqual({ kind: 'k', customerId: 3, key: ['a+b', '9'] });
  });

  it.each(['submit-transcript-1-CA1', 'k:1', 'k:0:x', 'k:01:x', 'K:1:x', 'k:1:x:y', 'k:1:%zz', '123'])('is null for %p', (id) => {
    expect(parseJobId(id)).toBeNull();
  });
});
