/**
 * The one-time token of an invitation or password-reset link. Links carry it in the fragment
 * (`#token=...`), which the browser never sends to a server; it is read once and removed from the
 * address bar, so it does not stay in the history either.
 */
export function takeLinkToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token;
}
