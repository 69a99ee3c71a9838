// Upstream failures → what the client sees. OpenAI's own errors pass through with their status
// and shape (moderation_blocked stays a 400, 429 keeps Retry-After); failures to reach or
// understand OpenAI become 502/504 with Framefill codes. Messages are scrubbed of secrets.
import OpenAI from 'openai';
import { HttpError } from '../errors';

/** Why the backend itself cut the upstream call short, if it did (`cancelled`: DELETE /v1/results/{id}). */
export type AbortCause = 'timeout' | 'client_gone' | 'cancelled' | null;

/** Headers worth passing on from an upstream error response. */
// (Only retry timing: rate-limit figures describe the backend's OpenAI account, not the caller.)
const FORWARDED_ERROR_HEADERS = ['retry-after', 'retry-after-ms'];

/** Replaces every occurrence of each secret (OpenAI key, client secrets) with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

export const upstreamTimeout = (timeoutMs: number) =>
  new HttpError(504, `OpenAI did not finish within ${Math.round(timeoutMs / 1000)} s, the limit this backend allows. Try again, or use a lower quality or smaller size.`, {
    type: 'upstream_error',
    code: 'upstream_timeout',
  });

export const upstreamUnreachable = () =>
  new HttpError(502, 'The Framefill backend could not reach OpenAI (the connection failed or was reset). Try again in a moment.', {
    type: 'upstream_error',
    code: 'upstream_unreachable',
  });

export const upstreamInvalidResponse = () =>
  new HttpError(502, 'OpenAI sent a response the Framefill backend could not read (not valid JSON or not an image response). Try again.', {
    type: 'upstream_error',
    code: 'upstream_invalid_response',
  });

export const clientGone = () => new HttpError(499, 'The client closed the request before it finished.', { code: 'client_closed_request' });

/** 499, not 409: SDKs retry a 409, and a retry under the same key would run the cancelled request again. */
export const requestCancelled = () =>
  new HttpError(499, 'The request was cancelled (DELETE /v1/results/{id}) before it finished; nothing more is charged for it.', { code: 'request_cancelled' });

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
  if (ctx.cause === 'client_gone') return clientGone();
  if (ctx.cause === 'cancelled') return requestCancelled();
  if (ctx.cause === 'timeout' || err instanceof OpenAI.APIConnectionTimeoutError) return upstreamTimeout(ctx.timeoutMs);
  if (err instanceof OpenAI.APIConnectionError || err instanceof OpenAI.APIUserAbortError) return upstreamUnreachable();
  if (err instanceof OpenAI.APIError) {
    const body = (err.error ?? {}) as { message?: unknown; type?: unknown; code?: unknown; param?: unknown };
    const message = redact(typeof body.message === 'string' && body.message ? body.message : err.message, ctx.secrets);
    const status = err.status;
    if (status === 401) {
      // The OpenAI key, not the caller's token, was refused: not the user's fault, and
      // OpenAI's message shows part of the key, so it is not passed on.
      return new HttpError(502, 'OpenAI rejected the API key this Framefill backend is configured with. Tell whoever runs the backend to check OPENAI_API_KEY.', {
        type: 'upstream_error',
        code: 'upstream_auth_failed',
      });
    }
    if (status === 403) {
      return new HttpError(502, `OpenAI refused this backend's account: ${message}`, { type: 'upstream_error', code: 'upstream_permission_denied' });
    }
    if (status === undefined) {
      // An error event inside a stream, or an error without an HTTP status.
      return new HttpError(502, message, {
        type: typeof body.type === 'string' ? body.type : 'upstream_error',
        code: typeof body.code === 'string' ? body.code : 'upstream_error',
        param: typeof body.param === 'string' ? body.param : null,
      });
    }
    return new HttpError(status, message, {
      type: typeof body.type === 'string' ? body.type : status >= 500 ? 'server_error' : 'invalid_request_error',
      code: typeof body.code === 'string' ? body.code : null,
      param: typeof body.param === 'string' ? body.param : null,
      headers: forwardedHeaders(err.headers),
    });
  }
  if (err instanceof SyntaxError) return upstreamInvalidResponse();
  // fetch's "terminated" and friends: the connection died while the body was being read.
  if (err instanceof TypeError) return upstreamUnreachable();
  return new HttpError(502, 'The call to OpenAI failed unexpectedly. Try again.', { type: 'upstream_error', code: 'upstream_error' });
}
