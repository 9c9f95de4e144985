import { countSmsSegments } from './sms-segments';

describe('countSmsSegments', () => {
  it.each([
    ['', 1],
    ['Hello', 1],
    ['a'.repeat(160), 1],
    ['a'.repeat(161), 2],
    ['a'.repeat(306), 2],
    ['a'.repeat(307), 3],
    // Extension characters take two septets.
    ['€'.repeat(80), 1],
    ['€'.repeat(81), 2],
    // One character outside GSM-7 makes the whole text UCS-2.
    ['ü'.repeat(160), 1],
    [`${'a'.repeat(70)}`, 1],
    [`ł${'a'.repeat(69)}`, 1],
    [`ł${'a'.repeat(70)}`, 2],
    ['😀'.repeat(35), 1],
    ['😀'.repeat(36), 2],
  ])('%j is %i segment(s)', (body, segments) => {
    expect(countSmsSegments(body)).toBe(segments);
  });
});
