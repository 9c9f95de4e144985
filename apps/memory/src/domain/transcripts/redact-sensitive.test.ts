import { CARD_LABEL, ID_LABEL, luhnValid, redactSensitive, redactTranscript, SSN_LABEL } from './redact-sensitive';

describe('redactSensitive', () => {
  it.each([
    ['digits in groups', 'My card is 4111 1111 1111 1111, expires soon.', `My card is ${CARD_LABEL}, expires soon.`],
    ['digits with dashes', 'Use 5500-0000-0000-0004 please', `Use ${CARD_LABEL} please`],
    ['one block of digits', 'amex 378282246310005.', `amex ${CARD_LABEL}.`],
    [
      'digit words, as speech recognition writes them',
      'it is four one one one one one one one one one one one one one one one',
      `it is ${CARD_LABEL}`,
    ],
    ['mixed words and digits', 'card four 111 1111 1111 111 one thanks', `card ${CARD_LABEL} thanks`],
  ])('removes a card number read as %s', (_case, text, expected) => {
    expect(redactSensitive(text)).toBe(expected);
  });

  it('keeps numbers that are not card numbers: phone numbers, amounts, dates, Luhn failures', () => {
    const text = 'Call me at +1 (212) 555-0123 or 212 555 0199. Budget 650,000 on 2026-03-05. Ref 4111 1111 1111 1112.';
    expect(redactSensitive(text)).toBe(text);
  });

  it.each([
    ['a formatted SSN anywhere', 'It is 123-45-6789 I think', `It is ${SSN_LABEL} I think`],
    ['an SSN with spaces', 'ok 123 45 6789', `ok ${SSN_LABEL}`],
    ['a bare SSN after the words', 'my social security number is 123456789.', `my social security number is ${ID_LABEL}.`],
    ['a spoken SSN', 'SSN one two three four five six seven eight nine', `SSN ${ID_LABEL}`],
    ["a driver's licence", "my driver's license is D1234567 from Texas", `my driver's license is ${ID_LABEL} from Texas`],
    ['a passport number', 'passport number 912345678', `passport number ${ID_LABEL}`],
  ])('removes %s', (_case, text, expected) => {
    expect(redactSensitive(text)).toBe(expected);
  });

  it('leaves text without such numbers alone, and is idempotent', () => {
    expect(redactSensitive('I have a passport and a license, no numbers here.')).toBe('I have a passport and a license, no numbers here.');
    const once = redactSensitive('card 4111111111111111 and ssn 123-45-6789');
    expect(redactSensitive(once)).toBe(once);
  });

  it('redacts every turn of a transcript, keeping roles and times', () => {
    expect(
      redactTranscript([
        { role: 'caller', text: 'card 4111111111111111', at: '2026-11-20T15:00:00.000Z' },
        { role: 'agent', text: 'Thanks.' },
      ]),
    ).toEqual([
      { role: 'caller', text: `card ${CARD_LABEL}`, at: '2026-11-20T15:00:00.000Z' },
      { role: 'agent', text: 'Thanks.' },
    ]);
  });

  it('checks Luhn', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });
});
