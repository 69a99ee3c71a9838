// The retry decisions: openai-node's rules, bounded by the request's deadline.
import { describe, expect, it } from 'vitest';
import { askedWaitMs, backoffMs, decideRetry, retryAfterSeconds, type RetryState } from './retry-policy';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const state = (over: Partial<RetryState> = {}): RetryState => ({ made: 0, allowed: 2, now: NOW, deadline: NOW + 300_000, random: 0, ...over });
const failed = (status: number | undefined, headers: Record<string, string> = {}) => ({ status, headers: new Headers(headers) });

describe('which failures are retried', () => {
  it.each([408, 409, 429, 500, 502, 503, 504])('%i is retried', (status) => {
    expect(decideRetry(failed(status), state()).retry).toBe(true);
  });

  it.each([400, 401, 403, 404, 413, 422])('%i is not', (status) => {
    expect(decideRetry(failed(status), state()).retry).toBe(false);
  });

  it('a connection error (no status) is retried', () => {
    expect(decideRetry({ status: undefined, headers: undefined }, state()).retry).toBe(true);
  });

  it('x-should-retry overrides the status either way', () => {
    expect(decideRetry(failed(400, { 'x-should-retry': 'true' }), state()).retry).toBe(true);
    expect(decideRetry(failed(429, { 'x-should-retry': 'false' }), state()).retry).toBe(false);
  });

  it('stops once FRAMEFILL_UPSTREAM_RETRIES retries were made', () => {
    expect(decideRetry(failed(500), state({ made: 1, allowed: 2 })).retry).toBe(true);
    expect(decideRetry(failed(500), state({ made: 2, allowed: 2 })).retry).toBe(false);
    expect(decideRetry(failed(500), state({ allowed: 0 })).retry).toBe(false);
  });
});

describe('how long to wait', () => {
  it('honours retry-after-ms first, then Retry-After in seconds or as a date', () => {
    expect(askedWaitMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), NOW)).toBe(250);
    expect(askedWaitMs(new Headers({ 'retry-after': '2.5' }), NOW)).toBe(2_500);
    expect(askedWaitMs(new Headers({ 'retry-after': new Date(NOW + 7_000).toUTCString() }), NOW)).toBe(7_000);
    expect(askedWaitMs(new Headers({ 'retry-after': new Date(NOW - 7_000).toUTCString() }), NOW)).toBe(0);
  });

  it('reads nothing but plain numbers and dates as a wait', () => {
    for (const junk of ['sk-proj-abc123', '-5', '1e9', 'NaN', 'Infinity', '12abc', '']) {
      expect(askedWaitMs(new Headers({ 'retry-after-ms': junk, 'retry-after': junk }), NOW), junk).toBeUndefined();
    }
  });

  it('backs off as openai-node does: 0.5 s doubling to 8 s, up to 25 % less', () => {
    expect([0, 1, 2, 3, 4, 5].map((made) => backoffMs(made, 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(backoffMs(0, 1)).toBe(375);
    expect(decideRetry(failed(503), state({ made: 1 }))).toEqual({ retry: true, waitMs: 1_000 });
  });

  it('sleeps a Retry-After that leaves time for the attempt before the deadline', () => {
    expect(decideRetry(failed(429, { 'retry-after': '1' }), state({ deadline: NOW + 5_000 }))).toEqual({ retry: true, waitMs: 1_000 });
  });

  it('does not sleep past the deadline, nor so close to it that the attempt has no time', () => {
    expect(decideRetry(failed(429, { 'retry-after': '20' }), state({ deadline: NOW + 5_000 })).retry).toBe(false);
    expect(decideRetry(failed(429, { 'retry-after': '4.5' }), state({ deadline: NOW + 5_000 })).retry).toBe(false);
    expect(decideRetry(failed(500), state({ made: 3, allowed: 5, deadline: NOW + 4_000 })).retry).toBe(false);
  });

  it('never sleeps more than a minute for a client, however long the deadline', () => {
    expect(decideRetry(failed(429, { 'retry-after': '61' }), state({ deadline: NOW + 3_600_000 })).retry).toBe(false);
    expect(decideRetry(failed(429, { 'retry-after': '60' }), state({ deadline: NOW + 3_600_000 })).retry).toBe(true);
  });
});

describe('the Retry-After passed on to a client', () => {
  it('is whole seconds, rounded up, at most a day; null when the upstream gave none usable', () => {
    expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1200' }), NOW)).toBe(2);
    expect(retryAfterSeconds(new Headers({ 'retry-after': '3600' }), NOW)).toBe(3_600);
    expect(retryAfterSeconds(new Headers({ 'retry-after': '99999999' }), NOW)).toBe(86_400);
    expect(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), NOW)).toBeNull();
    expect(retryAfterSeconds(undefined, NOW)).toBeNull();
  });
});
