import { maskPhone } from './mask-phone';

/**
 * What a log line must never carry, found in its text wherever it sits (message, path, query,
 * body, error, binding), so no call site has to remember: every logger made by createLogger runs
 * each line through redactLogLine before it is written.
 *
 * - Phone numbers in E.164 (`+12125550123`, percent-encoded `%2B12125550123` in paths and queries,
 *   and the digits of thread ids `customer_7_user_12125550123`) are masked as maskPhone does.
 * - Capability tokens, which grant access to whoever holds them: TTS audio URLs (`/audio/<token>`),
 *   `token`-like query or fragment parameters (invitation and reset links), and JSON fields named `token` or `…_token` / `…Token`.
 */
const PHONE_NUMBER = /(?<![\w*])(\+|%2B)([1-9]\d{7,14})(?!\d)/gi;
const THREAD_ID_DIGITS = /(_user_)([1-9]\d{7,14})(?!\d)/g;
const AUDIO_PATH_TOKEN = /(\/audio\/)(?!\[REDACTED\])[^/?#\s"\\]+/g;
// In a query or a fragment: invitation and password-reset links carry theirs as `#token=`.
const TOKEN_QUERY_PARAMETER = /([?&#](?:[\w-]*token|signature|sig)=)(?!\[REDACTED\])[^&#\s"\\]+/gi;
const TOKEN_JSON_FIELD = /("(?:token|[\w-]*_token|[a-z]\w*Token)":")(?!\[REDACTED\])(?:[^"\\]|\\.)*"/g;

export const REDACTED = '[REDACTED]';

export function redactLogLine(line: string): string {
  return line
    .replace(PHONE_NUMBER, (_match, _plus: string, digits: string) => maskPhone(`+${digits}`))
    .replace(THREAD_ID_DIGITS, (_match, prefix: string, digits: string) => `${prefix}${maskPhone(`+${digits}`).slice(1)}`)
    .replace(AUDIO_PATH_TOKEN, `$1${REDACTED}`)
    .replace(TOKEN_QUERY_PARAMETER, `$1${REDACTED}`)
    .replace(TOKEN_JSON_FIELD, `$1${REDACTED}"`);
}
