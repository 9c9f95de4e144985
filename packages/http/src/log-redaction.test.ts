import { redactLogLine } from './log-redaction';

describe('redactLogLine', () => {
  it.each([
    ['a number in a message', '{"msg":"caller +12125550123 hung up"}', '{"msg":"caller +1212***0123 hung up"}'],
    [
      'a percent-encoded number in a path',
      '"url":"/v2/callers/%2B12125550123?customer_id=4"',
      '"url":"/v2/callers/+1212***0123?customer_id=4"',
    ],
    [
      'a number in a query string',
      '"url":"/v1/messages?phone_number=+447700900123&limit=5"',
      '"url":"/v1/messages?phone_number=+4477***0123&limit=5"',
    ],
    ['the digits of a thread id', '"thread_id":"customer_7_user_12125550123"', '"thread_id":"customer_7_user_1212***0123"'],
    ['an audio URL token', '"url":"/audio/Zm9vYmFyYmF6cXV4cXV1eA?x=1"', '"url":"/audio/[REDACTED]?x=1"'],
    ['an orchestrator audio path', '"url":"/v1/audio/abcDEF123_-xyz"', '"url":"/v1/audio/[REDACTED]"'],
    ['a token query parameter', '"url":"/accept?invite_token=s3cr3t&x=1"', '"url":"/accept?invite_token=[REDACTED]&x=1"'],
    [
      'the token of an invitation link',
      '"link":"https://console.example/invitations/accept#token=AbC123%2Fx"',
      '"link":"https://console.example/invitations/accept#token=[REDACTED]"',
    ],
    [
      'token fields of a body',
      '{"audio_token":"abc\\"def","refreshToken":"r1","token":"t"}',
      '{"audio_token":"[REDACTED]","refreshToken":"[REDACTED]","token":"[REDACTED]"}',
    ],
  ])('masks %s', (_name, line, expected) => {
    expect(redactLogLine(line)).toBe(expected);
  });

  it.each([
    ['a masked number', '"+1212***0123"'],
    ['a short number (masked as *** where logged)', '"+4930123"'],
    ['a time with an offset', '"2026-12-05T21:30:00+01:00"'],
    ['a token id (jti) and a counter', '{"tokenId":"3f1c","attempts":12125550123}'],
  ])('leaves %s alone', (_name, line) => {
    expect(redactLogLine(line)).toBe(line);
  });

  it('is idempotent', () => {
    const once = redactLogLine('{"url":"/audio/abc?token=x","to":"+12125550123"}');
    expect(redactLogLine(once)).toBe(once);
  });
});
