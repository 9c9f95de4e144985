/** A phone number as logs show it (+1212***0123): enough to correlate, not enough to identify. */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return '***';
  return `${phone.slice(0, 5)}***${phone.slice(-4)}`;
}
