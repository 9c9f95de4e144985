import { maskPhone } from './mask-phone';

describe('maskPhone', () => {
  it.each([
    ['+12125550123', '+1212***0123'],
    ['+4930123', '***'],
    ['', '(none)'],
    [null, '(none)'],
    [undefined, '(none)'],
  ])('masks %p as %p', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
