// OpenAI-style errors: every 4xx/5xx the backend sends is `{error:{message,type,param,code}}`
// (errorBodySchema in contract.ts), so the official SDKs turn it into their usual error classes.
import type { ErrorBody } from './contract';

export type ErrorType = 'invalid_request_error' | 'upstream_error' | 'server_error' | (string & {});

export interface ErrorInit {
  type?: ErrorType;
  code?: string | null;
  param?: string | null;
  /** extra response headers, e.g. Retry-After */
  headers?: Record<string, string>;
}

/** An error that becomes an HTTP response; thrown from validation and upstream handling. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, init: ErrorInit = {}) {
    super(message);
    this.status = status;
    this.type = init.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  toResponse(): Response {
    return jsonResponse(this.body(), this.status, this.headers);
  }
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export const invalidRequest = (message: string, param: string | null, code: string | null = 'invalid_value') =>
  new HttpError(400, message, { param, code });

export const notFound = (method: string, path: string) =>
  new HttpError(404, `Unknown request URL: ${method} ${path}. The Framefill backend serves POST /v1/images/generations, POST /v1/images/edits, GET /v1/usage, GET /v1/results/{id} and DELETE /v1/results/{id}.`, { code: 'unknown_url' });

export const methodNotAllowed = (method: string, path: string, allowed: string[]) =>
  new HttpError(405, `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, {
    code: 'method_not_allowed',
    headers: { allow: allowed.join(', ') },
  });

export const payloadTooLarge = (maxBytes: number) =>
  new HttpError(413, `The request body is larger than this backend accepts (${formatBytes(maxBytes)}). Send fewer or smaller reference images.`, {
    code: 'request_too_large',
  });

export const internalError = () =>
  new HttpError(500, 'The Framefill backend hit an unexpected error. Try again; if it keeps happening, tell whoever runs the backend.', {
    type: 'server_error',
    code: 'internal_error',
  });

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}
