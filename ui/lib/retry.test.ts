import { describe, expect, it, vi } from 'vitest';
import { backoffMs, parseRetryAfter, withRetry, type RetryWait } from './retry';
import { isAbortError } from './concurrency';

const noSleep = async () => undefined;

describe('withRetry', () => {
  it('retries what the caller calls transient, up to the attempt bound', async () => {
    const op = vi.fn(async () => { throw new TypeError('Failed to fetch'); });
    const waits: RetryWait[] = [];
    await expect(
      withRetry(op, { maxAttempts: 3, decide: () => ({ reason: 'transient', delayMs: 10 }), onWait: (w) => waits.push(w), sleep: noSleep }),
    ).rejects.toThrow('Failed to fetch');
    expect(op).toHaveBeenCalledTimes(3);
    expect(waits.map((w) => w.attempt)).toEqual([1, 2]);
  });

  it('gives up at once when the caller says so, and returns the first success', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('401'); }, { maxAttempts: 5, decide: () => null, sleep: noSleep })).rejects.toThrow('401');
    expect(calls).toBe(1);
    let n = 0;
    expect(await withRetry(async () => { if (++n < 2) throw new Error('x'); return 'ok'; }, { maxAttempts: 5, decide: () => ({ reason: 'transient', delayMs: 1 }), sleep: noSleep })).toBe('ok');
  });

  it('stops waiting when cancelled', async () => {
    const controller = new AbortController();
    const run = withRetry(async () => { throw new Error('503'); }, { maxAttempts: 5, decide: () => ({ reason: 'rate-limit', delayMs: 60_000 }), signal: controller.signal, onWait: () => controller.abort() });
    await expect(run).rejects.toSatisfy(isAbortError);
  });
});

describe('retry helpers', () => {
  it('backs off exponentially within bounds', () => {
    expect(backoffMs(1, 1000, 8000, () => 0.5)).toBe(1000);
    expect(backoffMs(3, 1000, 8000, () => 0.5)).toBe(4000);
    expect(backoffMs(10, 1000, 8000, () => 1)).toBe(10000);
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(new Date(1_000_000 + 12_000).toUTCString(), 1_000_000)).toBe(12);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
