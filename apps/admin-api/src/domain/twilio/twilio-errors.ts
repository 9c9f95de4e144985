import { AppError } from '@neurosphere/http';
import { classifyTwilioError } from '@neurosphere/twilio';

/** How long to wait before retrying when Twilio did not answer. */
export const TWILIO_RETRY_AFTER_SECONDS = 30;

/**
 * Twilio's answer as the platform's error: the caller learns the cause (Twilio's code included)
 * and never a credential. `what` names the operation ("buying +1212..."), `account` the account
 * it ran in ("the tenant's sub-account").
 */
export function twilioAppError(error: unknown, context: { what: string; account: string }): AppError {
  if (error instanceof AppError) return error;
  const failure = classifyTwilioError(error);
  if (failure.retryable) {
    return new AppError(
      'UNAVAILABLE',
      `Twilio could not be reached while ${context.what} (${failure.code}); nothing was left half-done, try again`,
      {
        retryAfterSeconds: TWILIO_RETRY_AFTER_SECONDS,
        cause: error,
      },
    );
  }
  switch (failure.code) {
    case '20003':
      return new AppError('UNPROCESSABLE', `Twilio refused the credentials of ${context.account} (Twilio 20003) while ${context.what}`, {
        cause: error,
      });
    case '21422':
      return new AppError('CONFLICT', `The number is no longer available to buy (Twilio 21422) while ${context.what}`, { cause: error });
    case '20005':
    case '10001':
      return new AppError(
        'UNPROCESSABLE',
        `${capitalize(context.account)} is not active, most often for lack of funds (Twilio ${failure.code}), while ${context.what}`,
        { cause: error },
      );
    case '21452':
      return new AppError('UNPROCESSABLE', `Twilio has no number matching the search (Twilio 21452) while ${context.what}`, {
        cause: error,
      });
    default:
      return new AppError('UNPROCESSABLE', `Twilio refused ${context.what}: ${failure.message} (Twilio ${failure.code})`, { cause: error });
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
