// Upstream failures → what the client sees. OpenAI's own errors pass through with their status
// and shape (moderation_blocked stays a 400, 429 keeps Retry-After); failures to reach or
// understand OpenAI become 502/504 with Framefill codes. The upstream is not trusted: its message
// is cut short and scrubbed of secrets, its type/code/param pass only as clean identifiers, and of
// its headers only the retry timing, as a number, goes on. The original error rides along as
// `cause` for the log (which redacts it again).
import OpenAI from 'openai';
import {
  clientGone,
  fromOpenAI,
  HttpError,
  redact,
  requestCancelled,
  safeIdentifier,
  truncate,
  upstreamAuthFailed,
  upstreamFailed,
  upstreamInvalidResponse,
  upstreamPermissionDenied,
  upstreamTimeout,
  upstreamUnreachable,
} from '../errors';
import { retryAfterSeconds } from './retry-policy';

/** Why the backend itself cut the upstream call short, if it did (`cancelled`: DELETE /v1/results/{id}). */
export type AbortCause = 'timeout' | 'client_gone' | 'cancelled' | null;

/** Longest upstream error message relayed (OpenAI's own are a few hundred characters). */
const MAX_MESSAGE_CHARS = 2_000;
/** Beyond this, tell the OpenAI SDKs not to sleep through the Retry-After themselves. */
const SDK_WAIT_SECONDS = 60;

/**
 * Headers passed on from an upstream error: only its retry timing, as whole seconds. (Rate-limit
 * figures describe the backend's OpenAI account, not the caller; nothing else is trusted.)
 */
function forwardedHeaders(headers: Headers | undefined): Record<string, string> {
  const seconds = retryAfterSeconds(headers, Date.now());
  if (seconds === null) return {};
  return { 'retry-after': String(seconds), ...(seconds > SDK_WAIT_SECONDS ? { 'x-should-retry': 'false' } : {}) };
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
    const said = typeof body.message === 'string' && body.message ? body.message : err.message;
    const message = redact(truncate(said, MAX_MESSAGE_CHARS), ctx.secrets);
    const type = safeIdentifier(body.type, ctx.secrets);
    const code = safeIdentifier(body.code, ctx.secrets);
    const param = safeIdentifier(body.param, ctx.secrets);
    const status = err.status;
    if (status === 401) return upstreamAuthFailed(err);
    if (status === 403) return upstreamPermissionDenied(message, err);
    if (status === undefined) {
      // An error event inside a stream, or an error without an HTTP status.
      return fromOpenAI(502, message, { type: type ?? 'upstream_error', code: code ?? 'upstream_error', param }, err);
    }
    // Only an error status can be relayed as one (a 3xx or 1xx here is nonsense from upstream).
    if (status < 400 || status > 599) return upstreamInvalidResponse(err);
    const headers = forwardedHeaders(err.headers);
    // A server error (or OpenAI's 408/409 timeouts) that says when to come back is, to the
    // client, a 503: Retry-After's meaning, and not a status that blames the client's request.
    const comeBack = headers['retry-after'] !== undefined && (status >= 500 || status === 408 || status === 409);
    const relayed = comeBack ? 503 : status;
    return fromOpenAI(relayed, message, {
      type: type ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
      code,
      param,
      headers,
    }, err);
  }
  if (err instanceof SyntaxError) return upstreamInvalidResponse(err);
  // fetch's "terminated" and friends: the connection died while the body was being read.
  if (err instanceof TypeError) return upstreamUnreachable(err);
  return upstreamFailed(err);
}
