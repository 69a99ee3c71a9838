// The backend's own retry loop around one upstream call (the SDK is built to make none: its
// sleeps cannot be interrupted and honour any Retry-After, however long). Each wait is decided
// by retry-policy.ts against the deadline of the CallControl whose signal the call runs under,
// and slept so that a client leaving, a DELETE cancel or the deadline ends it at once. A wait
// that does not fit is not slept: the upstream's failure, Retry-After included, goes to the
// client (to-http-error.ts), and the request's reservation is released with it.
import OpenAI from 'openai';
import { safeIdentifier } from '../errors';
import { deadlineOf } from './call-control';
import type { UpstreamCall } from './image-call';
import { decideRetry, type AttemptFailure } from './retry-policy';

export interface RetryOptions {
  /** FRAMEFILL_UPSTREAM_RETRIES: calls after the first */
  retries: number;
  /** strings no upstream header may carry into the backend (its x-request-id is logged) */
  secrets: readonly string[];
}

/** What the policy needs to know of a failed attempt; null when it is not an upstream failure at all. */
function failureOf(err: unknown): AttemptFailure | null {
  if (err instanceof OpenAI.APIUserAbortError) return null;
  if (err instanceof OpenAI.APIConnectionError) return { status: undefined, headers: undefined };
  if (err instanceof OpenAI.APIError) return { status: err.status, headers: err.headers };
  return null;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The response with an x-request-id that is not a clean identifier (e.g. an echoed key) removed. */
function withSafeRequestId(response: Response, secrets: readonly string[]): Response {
  const id = response.headers.get('x-request-id');
  if (id === null || safeIdentifier(id, secrets) === id) return response;
  const headers = new Headers(response.headers);
  headers.delete('x-request-id');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** `call`, retried on the failures OpenAI's SDK retries, never past the request's deadline. */
export function retrying(call: UpstreamCall, options: RetryOptions): UpstreamCall {
  return async (signal) => {
    // Bounded: decideRetry stops once `made` reaches `options.retries`.
    for (let made = 0; ; made++) {
      try {
        return withSafeRequestId(await call(signal), options.secrets);
      } catch (err) {
        const failure = signal.aborted ? null : failureOf(err);
        if (failure === null) throw err;
        const decision = decideRetry(failure, {
          made,
          allowed: options.retries,
          now: Date.now(),
          deadline: deadlineOf(signal) ?? Number.POSITIVE_INFINITY,
          random: Math.random(),
        });
        if (!decision.retry) throw err;
        await pause(decision.waitMs, signal);
        // The control's cause (client gone, cancelled, timeout) says what the client is told.
        if (signal.aborted) throw err;
      }
    }
  };
}
