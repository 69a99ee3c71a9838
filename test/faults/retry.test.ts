// Issue 11, defect 2: an upstream Retry-After must not override the backend's own deadline. A real
// backend process (FRAMEFILL_UPSTREAM_TIMEOUT_MS=5000, two retries) against a scripted upstream:
// a Retry-After longer than the time left is passed on to the client at once (and the budget
// reservation goes with it); one that fits is slept and retried; a client that leaves during the
// sleep ends it — no further upstream attempt, the request over at once.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maxCostMicros } from '../../backend/pricing';
import { pngOf } from '../support/images';
import type { BackendProcess } from '../hardening/child-process';
import { apiError, startEchoingStack, type EchoingStack, type EchoingUpstream } from './echoing-upstream';

const OPENAI_KEY = 'sk-retry-test-0123456789abcdefghijklmnopqrstuvwxyz';
const ALICE = 'ff-alice-retry-secret-0123456789';
const BOB = 'ff-bob-retry-secret-0123456789ab';
const TIMEOUT_MS = 5_000;

const REQUEST = { prompt: 'a lighthouse', quality: 'low', size: '1024x1024' } as const;
/** alice's monthly budget holds one reservation of REQUEST, not two */
const ONE_RESERVATION = maxCostMicros({ quality: REQUEST.quality, size: REQUEST.size, n: 1, prompt: REQUEST.prompt });
const BUDGET_USD = ((ONE_RESERVATION * 1.5) / 1e6).toFixed(6);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: EchoingStack;
let upstream: EchoingUpstream;
let backend: BackendProcess;

beforeAll(async () => {
  stack = await startEchoingStack(OPENAI_KEY, {
    FRAMEFILL_TOKENS: `alice:${ALICE},bob:${BOB}`,
    FRAMEFILL_UPSTREAM_RETRIES: '2',
    FRAMEFILL_UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS),
    FRAMEFILL_LIMITS: `alice:budget=${BUDGET_USD}`,
  });
  ({ upstream, backend } = stack);
});

afterAll(() => stack?.close());

beforeEach(() => {
  upstream.script([]);
  upstream.attempts.length = 0;
});

const rateLimited = (retryAfter: string) =>
  apiError(429, { message: 'Rate limit reached for images per min.', type: 'requests', code: 'rate_limit_exceeded', param: null }, { 'retry-after': retryAfter });

function generate(secret: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${backend.url}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(REQUEST),
    // Bounded: on the old behaviour this request hangs for the upstream's Retry-After.
    signal: signal ?? AbortSignal.timeout(10_000),
  });
}

interface LogLine {
  route: string;
  status: number;
  ms: number;
  token: string;
}

function logLines(): LogLine[] {
  return backend.stdout.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
}

describe('an upstream Retry-After longer than the time left', () => {
  it('is passed on as a 429 with Retry-After within the deadline, and the reservation is released', async () => {
    upstream.script([rateLimited('20'), rateLimited('20'), rateLimited('20')]);
    const started = Date.now();
    const res = await generate(ALICE);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(429);
    expect(elapsed).toBeLessThan(6_000);
    expect(res.headers.get('retry-after')).toBe('20');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
    // Passed on instead of slept through: the upstream was asked once.
    expect(upstream.attempts).toHaveLength(1);

    // Alice's budget holds one reservation: a held one would make this a 402.
    upstream.script([]);
    const next = await generate(ALICE);
    expect(next.status).toBe(200);
    const usage = await fetch(`${backend.url}/v1/usage`, { headers: { authorization: `Bearer ${ALICE}` } });
    expect(usage.status).toBe(200);
    expect(((await usage.json()) as { requests: number }).requests).toBe(1);
  });

  it('an hour-long Retry-After on a 5xx answers 503 with Retry-After at once', async () => {
    upstream.script([apiError(500, { message: 'The server had an error.', type: 'server_error', code: null, param: null }, { 'retry-after': '3600' })]);
    const started = Date.now();
    const res = await generate(BOB);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3600');
    // Too long for an OpenAI SDK client to sleep through in its turn.
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(upstream.attempts).toHaveLength(1);
  });
});

describe('an upstream Retry-After that fits', () => {
  it('is slept, then the call is retried and succeeds', async () => {
    upstream.script([rateLimited('1')]);
    const started = Date.now();
    const res = await generate(BOB);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(upstream.attempts).toHaveLength(2);
    expect(upstream.attempts[1]!.at - upstream.attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('an edit is sent again whole (its multipart body re-sent on the retry)', async () => {
    upstream.script([rateLimited('1')]);
    const form = new FormData();
    form.append('prompt', 'make it night');
    form.append('quality', 'low');
    form.append('image', new Blob([new Uint8Array(pngOf(256, 256, 1))], { type: 'image/png' }), 'frame.png');
    const res = await fetch(`${backend.url}/v1/images/edits`, { method: 'POST', headers: { authorization: `Bearer ${BOB}` }, body: form, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(upstream.attempts.map((a) => a.path)).toEqual(['/v1/images/edits', '/v1/images/edits']);
    expect(upstream.attempts[1]!.bytes).toBe(upstream.attempts[0]!.bytes);
    expect(upstream.attempts[0]!.bytes).toBeGreaterThan(1_000);
  });

  it('a client that disconnects during the sleep ends the retry loop and the request at once', async () => {
    upstream.script([rateLimited('3'), rateLimited('3'), rateLimited('3')]);
    const client = new AbortController();
    const request = generate(BOB, client.signal).catch(() => null);
    for (let i = 0; i < 100 && upstream.attempts.length === 0; i++) await sleep(20);
    expect(upstream.attempts).toHaveLength(1);
    await sleep(300);
    const before = logLines().length;
    client.abort();
    await request;
    await sleep(3_500);
    // No further attempt after the disconnect…
    expect(upstream.attempts).toHaveLength(1);
    // …and the backend ended the request when its client left, not when the 3 s sleep was over.
    const ended = logLines().slice(before).filter((l) => l.route === '/v1/images/generations');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.ms).toBeLessThan(2_000);
  });
});
