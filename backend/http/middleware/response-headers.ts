// CORS, security headers and the request id on every response, errors and 404s included.
import type { MiddlewareHandler } from 'hono';
import { REQUEST_ID_HEADER } from '../../contract';
import type { AppEnv } from '../context';
import { applyCorsHeaders } from './cors';
import { applySecurityHeaders } from './security-headers';

export function responseHeaders(): MiddlewareHandler<AppEnv> {
  return async function responseHeaders(c, next) {
    await next();
    const headers = c.res.headers;
    applyCorsHeaders(headers);
    applySecurityHeaders(headers);
    headers.set(REQUEST_ID_HEADER, c.get('state').requestId);
  };
}
