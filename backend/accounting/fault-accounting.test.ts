// Upstream faults against a token with a budget and a daily image limit: the client gets a clear,
// correctly shaped error (streams end with an `error` event), the reservation is released or
// settled exactly (store counters checked), and the next normal request still succeeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeFault } from '../../test/fake-openai/server';
import { errorBodySchema, streamEventSchema } from '../contract';
import type { BackendConfig } from '../config/load-config';
import { UNLIMITED } from '../test-helpers/stack';
import { parseSse } from '../../test/support/sse';
import { storeKeys, utcMonth } from '../store/keys';
import { eventually, startStack, type Stack } from '../test-helpers/stack';
import { readUsage } from './usage-ledger';

const NOW = Date.parse('2026-11-24T10:00:30Z');
const MONTH = utcMonth(NOW);
const limited = (extra: Partial<BackendConfig> = {}): Partial<BackendConfig> => ({
  limits: { defaults: UNLIMITED, perToken: { alice: { ...UNLIMITED, monthlyBudgetMicros: 10_000_000, dailyImages: 1_000 } } },
  ...extra,
});

let stack: Stack;
let quick: Stack;
beforeAll(async () => {
  [stack, quick] = await Promise.all([
    startStack({ config: limited(), deps: { clock: () => NOW } }),
    startStack({ config: limited({ upstreamTimeoutMs: 400 }), deps: { clock: () => NOW } }),
  ]);
});
afterAll(() => Promise.all([stack.close(), quick.close()]));

const post = (on: Stack, extra: Record<string, unknown> = {}, init: RequestInit = {}) =>
  on.fetch('/v1/images/generations', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'x', quality: 'low', ...extra }),
    ...init,
  });

/** Money and images held by reservations beyond what was delivered: both 0 when settled right. */
async function held(on: Stack): Promise<{ usd: number; images: number }> {
  const [usd, img, cost, images] = await on.store.getMany([
    storeKeys.usd('alice', MONTH),
    storeKeys.images('alice', NOW),
    storeKeys.usage('alice', MONTH, 'cost'),
    storeKeys.usage('alice', MONTH, 'images'),
  ]);
  return { usd: usd! - cost!, images: img! - images! };
}

/** A normal request afterwards succeeds, and is accounted exactly. */
async function stillServes(on: Stack): Promise<void> {
  on.fake.setFault(null);
  on.fake.setLatency(5);
  const before = await readUsage(on.store, 'alice', MONTH);
  const res = await post(on);
  expect(res.status).toBe(200);
  await res.json();
  const after = await readUsage(on.store, 'alice', MONTH);
  expect(after.requests - before.requests).toBe(1);
  expect(await held(on)).toEqual({ usd: 0, images: 0 });
}

const jsonFaults: Array<[string, FakeFault, number, string | null, () => Stack]> = [
  ['429 with Retry-After', { kind: 'rate_limit', retryAfterSeconds: 7 }, 429, 'rate_limit_exceeded', () => stack],
  ['500', { kind: 'server_error' }, 500, null, () => stack],
  ['503', { kind: 'unavailable' }, 503, null, () => stack],
  ['a hang past the timeout', { kind: 'hang' }, 504, 'upstream_timeout', () => quick],
  ['a connection reset', { kind: 'reset' }, 502, 'upstream_unreachable', () => stack],
  ['moderation_blocked', { kind: 'moderation_blocked' }, 400, 'moderation_blocked', () => stack],
  ['invalid JSON', { kind: 'invalid_json' }, 502, 'upstream_invalid_response', () => stack],
  ['a truncated body', { kind: 'truncated_stream' }, 502, 'upstream_unreachable', () => stack],
];

describe('faults release the reservation (non-stream)', () => {
  it.each(jsonFaults)('%s: a clear error, nothing held, and the server keeps serving', async (_name, fault, status, code, which) => {
    const on = which();
    on.fake.reset();
    on.fake.setFault(fault, 1);
    const before = await readUsage(on.store, 'alice', MONTH);
    const res = await post(on, { n: 3 });
    expect(res.status).toBe(status);
    const error = errorBodySchema.parse(await res.json()).error;
    if (code) expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    if (fault.kind === 'rate_limit') expect(res.headers.get('retry-after')).toBe('7');
    expect(await held(on)).toEqual({ usd: 0, images: 0 });
    expect(await readUsage(on.store, 'alice', MONTH)).toEqual(before);
    await stillServes(on);
  });
});

describe('faults inside a stream end it with `error` and settle what was delivered', () => {
  it.each([
    ['a truncated SSE stream', { kind: 'truncated_stream' } as FakeFault, 'upstream_stream_truncated'],
    ['invalid JSON in the stream', { kind: 'invalid_json' } as FakeFault, 'upstream_invalid_response'],
  ])('%s', async (_name, fault, code) => {
    stack.fake.reset();
    stack.fake.setFault(fault, 1);
    const res = await post(stack, { stream: true, partial_images: 1 });
    expect(res.status).toBe(200);
    const events = parseSse(await res.text()).map((e) => streamEventSchema.parse(JSON.parse(e.data)));
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    if (last.type === 'error') expect(last.error.code).toBe(code);
    expect(await held(stack)).toEqual({ usd: 0, images: 0 });
    await stillServes(stack);
  });

  it('a hang mid-stream → `error` upstream_timeout, reservation released', async () => {
    quick.fake.reset();
    quick.fake.setLatency(5_000);
    const res = await post(quick, { stream: true, partial_images: 1 });
    const events = parseSse(await res.text()).map((e) => streamEventSchema.parse(JSON.parse(e.data)));
    const last = events.at(-1)!;
    expect(last.type === 'error' && last.error.code).toBe('upstream_timeout');
    expect(await held(quick)).toEqual({ usd: 0, images: 0 });
    await stillServes(quick);
  });

  // n=2 cut after the first image (delivered image kept, the rest released): upstream-faults.test.ts.

  it('a client that leaves mid-stream (no Idempotency-Key) aborts the upstream and pays only for the partials it got', async () => {
    const local = await startStack({ config: limited(), deps: { clock: () => NOW }, fake: { latencyMs: 3_000, partialIntervalMs: 10 } });
    try {
      const controller = new AbortController();
      const res = await post(local, { stream: true, partial_images: 2 }, { signal: controller.signal });
      const reader = res.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.cancel().catch(() => {});
      expect(await eventually(() => local.fake.requests[0]?.aborted === true, 2_000)).toBe(true);
      await local.waitForLogs(1);
      expect(await held(local)).toEqual({ usd: 0, images: 0 });
      // Issue 11 defect 3: delivered partials are charged (test/faults/paid-partials.test.ts has the figures).
      const usage = await readUsage(local.store, 'alice', MONTH);
      expect(usage).toMatchObject({ requests: 1, images: 1 });
      expect(usage.partial_images).toBeGreaterThanOrEqual(1);
      expect(usage.cost_usd).toBeGreaterThan(0);
      expect(local.logs()[0]).toMatchObject({ error: 'client_closed_request' });
    } finally {
      await local.close();
    }
  });
});
