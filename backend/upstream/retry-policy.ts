// Whether to call OpenAI again after a failed attempt, and after how long. openai-node's rules
// (src/client.ts: shouldRetry, retryRequest, calculateDefaultRetryTimeoutMillis) — 408, 409,
// 429, 5xx and connection errors, `x-should-retry` obeyed, `retry-after-ms` then `Retry-After`
// honoured, else exponential backoff with jitter — except that no wait may run past the
// request's own deadline: a wait that does not fit ends the loop, and the failure (with its
// Retry-After) goes to the client instead. Pure: the clock and the dice are arguments.

/** A failed attempt as the retry loop sees it. */
export interface AttemptFailure {
  /** the HTTP status; undefined when no response arrived (connection refused, reset, timed out) */
  status: number | undefined;
  headers: Headers | undefined;
}

export interface RetryState {
  /** retries made so far for this request */
  made: number;
  /** FRAMEFILL_UPSTREAM_RETRIES */
  allowed: number;
  now: number;
  /** when the backend gives up on the request (epoch ms) */
  deadline: number;
  /** Math.random() */
  random: number;
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false };

/** A retried attempt gets at least this long before the deadline, or it is not worth making. */
const MIN_ATTEMPT_MS = 1_000;
/** The longest wait slept on the client's behalf; beyond it the client is told to come back. */
const MAX_WAIT_MS = 60_000;
/** Retry-After passed on to a client is at most a day. */
const MAX_RETRY_AFTER_SECONDS = 86_400;

const STRICT_NUMBER = /^\d{1,15}(?:\.\d{1,6})?$/;
/** An HTTP date as servers send it (IMF-fixdate), e.g. `Wed, 21 Oct 2026 07:28:00 GMT`. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** openai-node's shouldRetry: the server's say-so first, then 408, 409, 429 and 5xx; connection errors always. */
export function isRetryable(failure: AttemptFailure): boolean {
  if (failure.status === undefined) return true;
  const say = failure.headers?.get('x-should-retry');
  if (say === 'true') return true;
  if (say === 'false') return false;
  const { status } = failure;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * How long the upstream asked to wait, in ms: `retry-after-ms`, else `Retry-After` (seconds or an
 * HTTP date). Undefined when it said nothing usable — only plain numbers count, so a header that
 * echoes something else is never read as a wait.
 */
export function askedWaitMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = headers?.get('retry-after-ms')?.trim();
  if (ms && STRICT_NUMBER.test(ms)) return Number(ms);
  const after = headers?.get('retry-after')?.trim();
  if (!after) return undefined;
  if (STRICT_NUMBER.test(after)) return Number(after) * 1000;
  if (!HTTP_DATE.test(after)) return undefined;
  const at = Date.parse(after);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The `Retry-After` to give a client for the upstream's ask: whole seconds, 0 to a day; null when none was usable. */
export function retryAfterSeconds(headers: Headers | undefined, now: number): number | null {
  const ms = askedWaitMs(headers, now);
  return ms === undefined ? null : Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(ms / 1000));
}

/** openai-node's default: 0.5 s doubling per retry up to 8 s, less up to 25 % jitter. */
export function backoffMs(made: number, random: number): number {
  return Math.min(0.5 * 2 ** made, 8) * (1 - random * 0.25) * 1000;
}

export function decideRetry(failure: AttemptFailure, state: RetryState): RetryDecision {
  if (state.made >= state.allowed || !isRetryable(failure)) return { retry: false };
  const waitMs = askedWaitMs(failure.headers, state.now) ?? backoffMs(state.made, state.random);
  if (waitMs > MAX_WAIT_MS || state.now + waitMs + MIN_ATTEMPT_MS > state.deadline) return { retry: false };
  return { retry: true, waitMs };
}
