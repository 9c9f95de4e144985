import { parseTestArgs } from './test-args';

describe('parseTestArgs', () => {
  it('is the full run without options', () => {
    expect(parseTestArgs([])).toEqual({ filters: [], skipChecks: false, jestArgs: [] });
  });

  it('takes package filters, --skip-checks and jest arguments after --', () => {
    expect(
      parseTestArgs(['--filter', '@neurosphere/sms', '--filter=@neurosphere/db', '--skip-checks', '--', 'src/routes', '-t', 'opt-out']),
    ).toEqual({
      filters: ['@neurosphere/sms', '@neurosphere/db'],
      skipChecks: true,
      jestArgs: ['src/routes', '-t', 'opt-out'],
    });
  });

  it('refuses an option it does not know, naming it', () => {
    expect(() => parseTestArgs(['--fliter', 'x'])).toThrow(/unknown option --fliter/);
  });
});
