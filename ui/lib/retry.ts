// Retrying with backoff, bounded and cancellable. What is worth retrying (and how long to wait)
// is the caller's decision; this module only counts attempts and waits.
import { abortError } from './concurrency';

export interface RetryWait {
  /**
   * 'rate-limit' waits what the server asked for; 'transient' backs off after a 502/503;
   * 'unreachable' retries briefly after the backend could not be reached at all
   */
  reason: 'rate-limit' | 'transient' | 'unreachable';
  delayMs: number;
  /** the attempt that just failed, from 1 */
  attempt: number;
  /** how many retries this kind of failure gets, when bounded below the attempt limit */
  retries?: number;
}

export interface RetryOptions {
  /** attempts in all, including the first */
  maxAttempts: number;
  /** how long to wait before trying again, or null to give up with this error */
  decide(error: unknown, attempt: number): Omit<RetryWait, 'attempt'> | null;
  signal?: AbortSignal;
  onWait?(wait: RetryWait): void;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const pause = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw options.signal.reason ?? abortError();
    try {
      return await operation(attempt);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? abortError();
      const wait = attempt < options.maxAttempts ? options.decide(error, attempt) : null;
      if (!wait) throw error;
      options.onWait?.({ ...wait, attempt });
      await pause(wait.delayMs, options.signal);
    }
  }
}

/** Exponential backoff with ±25% jitter so parallel jobs don't retry in lockstep. */
export function backoffMs(attempt: number, baseMs = 1000, maxMs = 8000, random: () => number = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(raw * (0.75 + random() * 0.5));
}

/** Retry-After as seconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
