/** "+12125550123" → "+1212***0123": enough to correlate log lines, not enough to identify a caller. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '(none)';
  if (phone.length <= 8) return '***';
  return `${phone.slice(0, 5)}***${phone.slice(-4)}`;
}
