// The backend's retry loop around a call, under a real CallControl: retried when the policy
// says so, never slept past the deadline, and a sleep that a cancel or a departing client ends.
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { CallControl } from './call-control';
import { retrying } from './retrying-call';

const KEY = 'sk-unit-Hq4Tz8Wm2Rk6Yp0Lx3Nv7Bc5';
const ok = (headers: Record<string, string> = {}) => new Response('{}', { status: 200, headers });
const rateLimited = (retryAfter: string) => new OpenAI.APIError(429, { message: 'slow down' }, undefined, new Headers({ 'retry-after': retryAfter }));

/** A call that plays `script` in order (a thrown error or a response), counting its attempts. */
function scripted(script: Array<Error | Response>) {
  const attempts: number[] = [];
  const call = (signal: AbortSignal) => {
    attempts.push(Date.now());
    if (signal.aborted) return Promise.reject(new OpenAI.APIUserAbortError());
    const next = script.shift() ?? ok();
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { call, attempts };
}

describe('retrying', () => {
  it('retries a connection error and a 503 (openai-node backoff), then returns the response', async () => {
    const { call, attempts } = scripted([new OpenAI.APIConnectionError({ message: 'reset' }), new OpenAI.APIError(503, {}, undefined, new Headers()), ok()]);
    const control = new CallControl(undefined, 10_000);
    const res = await retrying(call, { retries: 2, secrets: [KEY] })(control.signal);
    control.dispose();
    expect(res.status).toBe(200);
    expect(attempts).toHaveLength(3);
  });

  it('makes FRAMEFILL_UPSTREAM_RETRIES retries at most, then throws the last failure', async () => {
    const last = rateLimited('0');
    const { call, attempts } = scripted([rateLimited('0'), rateLimited('0'), last]);
    const control = new CallControl(undefined, 10_000);
    await expect(retrying(call, { retries: 2, secrets: [] })(control.signal)).rejects.toBe(last);
    control.dispose();
    expect(attempts).toHaveLength(3);
  });

  it("throws at once when the upstream's Retry-After does not fit before the deadline", async () => {
    const failure = rateLimited('3');
    const { call, attempts } = scripted([failure]);
    const control = new CallControl(undefined, 2_000);
    const started = Date.now();
    await expect(retrying(call, { retries: 2, secrets: [] })(control.signal)).rejects.toBe(failure);
    control.dispose();
    expect(Date.now() - started).toBeLessThan(500);
    expect(attempts).toHaveLength(1);
  });

  it('a DELETE cancel during the sleep ends it at once, with no further attempt', async () => {
    const { call, attempts } = scripted([rateLimited('3')]);
    const cancel = new AbortController();
    const control = new CallControl(undefined, 10_000, cancel.signal);
    setTimeout(() => cancel.abort(), 100);
    const started = Date.now();
    await expect(retrying(call, { retries: 2, secrets: [] })(control.signal)).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(control.cause).toBe('cancelled');
    expect(attempts).toHaveLength(1);
  });

  it("drops an upstream x-request-id that carries a piece of a secret, keeps OpenAI's", async () => {
    const hostile = scripted([ok({ 'x-request-id': `req_${KEY.slice(4, 20)}` })]);
    const control = new CallControl(undefined, 10_000);
    expect((await retrying(hostile.call, { retries: 0, secrets: [KEY] })(control.signal)).headers.get('x-request-id')).toBeNull();
    const honest = scripted([ok({ 'x-request-id': 'req_0123456789abcdef0123456789abcdef' })]);
    expect((await retrying(honest.call, { retries: 0, secrets: [KEY] })(control.signal)).headers.get('x-request-id')).toBe('req_0123456789abcdef0123456789abcdef');
    control.dispose();
  });
});
