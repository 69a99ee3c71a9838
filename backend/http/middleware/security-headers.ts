// Security headers for an API that only ever returns JSON or an event stream: nothing may be
// sniffed, framed, cached by intermediaries or leak a referrer.

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const HSTS = 'max-age=63072000; includeSubDomains';

export function applySecurityHeaders(headers: Headers): void {
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'no-referrer');
  headers.set('content-security-policy', API_CSP);
  headers.set('strict-transport-security', HSTS);
  headers.set('x-frame-options', 'DENY');
  // Event streams set their own `no-cache`; everything else holds results or secrets-adjacent data.
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
}
