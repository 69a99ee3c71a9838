// Upstream failures → what the client sees. OpenAI's own errors pass through with their status
// and shape (moderation_blocked stays a 400, 429 keeps Retry-After); failures to reach or
// understand OpenAI become 502/504 with Framefill codes. Messages are scrubbed of secrets; the
// original error rides along as `cause` for the log.
import OpenAI from 'openai';
import {
  clientGone,
  fromOpenAI,
  HttpError,
  redact,
  requestCancelled,
  upstreamAuthFailed,
  upstreamFailed,
  upstreamInvalidResponse,
  upstreamPermissionDenied,
  upstreamTimeout,
  upstreamUnreachable,
} from '../errors';

/** Why the backend itself cut the upstream call short, if it did (`cancelled`: DELETE /v1/results/{id}). */
export type AbortCause = 'timeout' | 'client_gone' | 'cancelled' | null;

/** Headers worth passing on from an upstream error response. */
// (Only retry timing: rate-limit figures describe the backend's OpenAI account, not the caller.)
const FORWARDED_ERROR_HEADERS = ['retry-after', 'retry-after-ms'];

function forwardedHeaders(headers: Headers | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_ERROR_HEADERS) {
    const value = headers?.get(name);
    if (value) out[name] = value;
  }
  return out;
}

export interface UpstreamErrorContext {
  cause: AbortCause;
  timeoutMs: number;
  secrets: readonly string[];
}

export function upstreamError(err: unknown, ctx: UpstreamErrorContext): HttpError {
  if (err instanceof HttpError) return err;
  if (ctx.cause === 'client_gone') return clientGone(err ?? undefined);
  if (ctx.cause === 'cancelled') return requestCancelled();
  if (ctx.cause === 'timeout' || err instanceof OpenAI.APIConnectionTimeoutError) return upstreamTimeout(ctx.timeoutMs, err ?? undefined);
  if (err instanceof OpenAI.APIConnectionError || err instanceof OpenAI.APIUserAbortError) return upstreamUnreachable(err);
  if (err instanceof OpenAI.APIError) {
    const body = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown; param?: unknown };
    const message = redact(typeof body.message === 'string' && body.message ? body.message : err.message, ctx.secrets);
    const status = err.status;
    if (status === 401) return upstreamAuthFailed(err);
    if (status === 403) return upstreamPermissionDenied(message, err);
    if (status === undefined) {
      // An error event inside a stream, or an error without an HTTP status.
      return fromOpenAI(502, message, {
        type: typeof body.type === 'string' ? body.type : 'upstream_error',
        code: typeof body.code === 'string' ? body.code : 'upstream_error',
        param: typeof body.param === 'string' ? body.param : null,
      }, err);
    }
    return fromOpenAI(status, message, {
      type: typeof body.type === 'string' ? body.type : status >= 500 ? 'server_error' : 'invalid_request_error',
      code: typeof body.code === 'string' ? body.code : null,
      param: typeof body.param === 'string' ? body.param : null,
      headers: forwardedHeaders(err.headers),
    }, err);
  }
  if (err instanceof SyntaxError) return upstreamInvalidResponse(err);
  // fetch's "terminated" and friends: the connection died while the body was being read.
  if (err instanceof TypeError) return upstreamUnreachable(err);
  return upstreamFailed(err);
}
