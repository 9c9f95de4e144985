import twilio from 'twilio';
import { classifyTwilioError } from './twilio-failure';

const restException = (status: number, code?: number) =>
  new twilio.RestException({ statusCode: status, body: { status, code, message: `twilio ${status}` } });

describe('classifyTwilioError', () => {
  it.each([
    [429, 20429, true, '20429'],
    [500, 20500, true, '20500'],
    [503, undefined, true, 'HTTP_503'],
    [400, 21211, false, '21211'],
    [400, 21610, false, '21610'],
    [400, 21422, false, '21422'],
    [401, 20003, false, '20003'],
    [404, undefined, false, 'HTTP_404'],
  ])('status %i code %p → retryable %p, code %p', (status, code, retryable, expectedCode) => {
    expect(classifyTwilioError(restException(status, code))).toMatchObject({ retryable, status, code: expectedCode });
  });

  it('retries network errors and timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyTwilioError(refused)).toEqual({
      retryable: true,
      status: undefined,
      code: 'NETWORK_ERROR',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});
