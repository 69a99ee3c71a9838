// CORS for the plugin panel, whose iframe has origin `null`, and for any browser client using
// the official SDK. No cookies are involved, so `*` without credentials is both enough and safe:
// the bearer token, not the origin, is what grants access.
import type { MiddlewareHandler } from 'hono';
import { COST_HEADER, REQUEST_ID_HEADER } from '../../contract';

/** Headers the panel and the openai SDK send; used when a preflight does not list its own. */
const DEFAULT_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'openai-organization',
  'openai-project',
  'openai-beta',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
  'x-stainless-helper-method',
  'x-stainless-poll-helper',
  'x-stainless-custom-poll-interval',
].join(', ');

export const CORS_ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';
export const CORS_MAX_AGE_SECONDS = 86_400;
const EXPOSED = [COST_HEADER, REQUEST_ID_HEADER, 'retry-after'].join(', ');

/** Headers on every response, errors and 404s included. */
export function applyCorsHeaders(headers: Headers): void {
  headers.set('access-control-allow-origin', '*');
  headers.set('access-control-expose-headers', EXPOSED);
  // Responses do not vary by origin (always `*`), so caches need no Vary: Origin.
}

/**
 * The answer to any preflight. Requested headers are echoed (validated as header tokens).
 * `privateNetwork`: Chrome asks before a public page (Figma) calls a backend on localhost or the
 * LAN (Private Network Access); saying yes is what lets the local dev backend work.
 */
export function preflightResponse(requestedHeaders: string | null, privateNetwork = false): Response {
  const headers = new Headers();
  applyCorsHeaders(headers);
  headers.set('access-control-allow-methods', CORS_ALLOW_METHODS);
  const requested = (requestedHeaders ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h));
  headers.set('access-control-allow-headers', requested.length > 0 ? requested.join(', ') : DEFAULT_ALLOWED_HEADERS);
  headers.set('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
  if (privateNetwork) headers.set('access-control-allow-private-network', 'true');
  headers.append('vary', 'Access-Control-Request-Headers');
  return new Response(null, { status: 204, headers });
}

/** Answers a preflight on any path, before auth (browsers never send credentials on it). */
export function preflight(): MiddlewareHandler {
  return async function preflight(c, next) {
    if (c.req.method !== 'OPTIONS') return next();
    return preflightResponse(c.req.header('access-control-request-headers') ?? null, c.req.header('access-control-request-private-network') === 'true');
  };
}
