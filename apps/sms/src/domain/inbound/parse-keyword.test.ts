import { parseKeyword } from './parse-keyword';

describe('parseKeyword', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit!'])('reads %p as an opt-out', (body) => {
    expect(parseKeyword(body)?.kind).toBe('opt_out');
  });

  it.each(['START', 'start', 'Unstop'])('reads %p as an opt-in', (body) => {
    expect(parseKeyword(body)?.kind).toBe('opt_in');
  });

  it('reads HELP and reports the normalized word', () => {
    expect(parseKeyword(' help? ')).toEqual({ kind: 'help', word: 'HELP' });
    expect(parseKeyword('Stop.')).toEqual({ kind: 'opt_out', word: 'STOP' });
  });

  it.each(['please stop texting me', 'STOP NOW', 'stopp', '', 'toString', 'constructor'])('ignores %p', (body) => {
    expect(parseKeyword(body)).toBeNull();
  });
});
