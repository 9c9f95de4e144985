/**
 * A phone number as logs and audit rows show it ("+12125550123" → "+1212***0123"): enough to
 * correlate lines and tell callers apart, not enough to identify one.
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '(none)';
  if (phone.length <= 8) return '***';
  return `${phone.slice(0, 5)}***${phone.slice(-4)}`;
}
