import { findUnstorableText } from './storable-text';

describe('findUnstorableText', () => {
  it('finds U+0000 and unpaired surrogates in strings and keys, anywhere in the value', () => {
    expect(findUnstorableText({ a: ['ok', { note: 'nul \u0000 here' }] }, 'body')).toBe('body.a.1.note');
    expect(findUnstorableText({ metadata: { '': '\ud800' } }, 'body')).toBe('body.metadata.');
    expect(findUnstorableText({ tail: 'x\udc00' }, 'body')).toBe('body.tail');
    expect(findUnstorableText({ ['bad\u0000key']: 1 }, 'body')).toBe('body.bad?key');
  });

  it('passes every other text, emoji (paired surrogates) included', () => {
    expect(findUnstorableText({ text: 'Hello 👋 café', list: [1, null, true, { deep: '日本' }] }, 'body')).toBeNull();
    expect(findUnstorableText(undefined, 'body')).toBeNull();
  });

  it('walks a body nested thousands of levels deep', () => {
    let deep: unknown = 'bottom \u0000';
    for (let level = 0; level < 20_000; level++) deep = { a: deep };
    expect(findUnstorableText(deep, 'body')?.split('.')).toHaveLength(20_001);
  });
});
