import { profileValues, renderTemplate } from './render-template';

describe('renderTemplate', () => {
  it('fills every placeholder, with or without inner spaces', () => {
    expect(renderTemplate('Hi {{name}}, {{ business_name }} here. {{name}}!', { name: 'Ana', business_name: 'Acme' })).toEqual({
      ok: true,
      text: 'Hi Ana, Acme here. Ana!',
    });
  });

  it('reports each missing or blank placeholder once, in order', () => {
    expect(renderTemplate('{{a}} {{b}} {{a}} {{c}}', { b: ' ', c: 'x' })).toEqual({ ok: false, missing: ['a', 'b'] });
  });

  it('does not read inherited properties as values', () => {
    expect(renderTemplate('{{constructor}}', {})).toEqual({ ok: false, missing: ['constructor'] });
  });

  it('leaves text without placeholders alone', () => {
    expect(renderTemplate('Call us back {at} 5', {})).toEqual({ ok: true, text: 'Call us back {at} 5' });
  });
});

describe('profileValues', () => {
  it('keeps strings, numbers and booleans', () => {
    expect(profileValues({ city: 'Austin', policies: 2, vip: true, address: { zip: '1' }, tags: ['a'], none: null })).toEqual({
      city: 'Austin',
      policies: '2',
      vip: 'true',
    });
  });

  it('treats anything but an object as no values', () => {
    expect(profileValues(null)).toEqual({});
    expect(profileValues(['a'])).toEqual({});
    expect(profileValues('x')).toEqual({});
  });
});
