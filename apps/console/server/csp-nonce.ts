/**
 * What Vite writes as the nonce of index.html's tags and of `<meta property="csp-nonce">`
 * (vite.config.mts `html.cspNonce`); the server replaces it with a fresh nonce in each response.
 */
export const CSP_NONCE_PLACEHOLDER = 'NEUROSPHERE_CSP_NONCE';
