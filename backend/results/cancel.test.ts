// DELETE /v1/results/{id}: the panel's Cancel stops a paid upstream call that the backend would
// otherwise finish for recovery — on this instance at once, on another through the shared
// store — gives back what was reserved, keeps nothing, and frees the id for a fresh run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema, imagesResponseSchema, resultCancelSchema, streamEventSchema } from '../contract';
import { UNLIMITED } from '../test-helpers/stack';
import { parseSse } from '../../test/support/sse';
import { MemoryStore } from '../store';
import { storeKeys, utcMonth } from '../store/keys';
import { BOB_SECRET, eventually, startStack, type Stack } from '../test-helpers/stack';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const MONTH = utcMonth(NOW);
const SLOW_MS = 4_000;
// Limits on, so reservation really reserves images and money that a cancel must give back.
const limits = { defaults: UNLIMITED, perToken: { alice: { rpm: null, dailyImages: 1_000, monthlyBudgetMicros: 100_000_000 } } };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { limits }, deps: { clock: () => NOW }, fake: { latencyMs: SLOW_MS, partialIntervalMs: 10 } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.fake.setLatency(SLOW_MS);
});

let counter = 0;
const newKey = () => `cancel-${Date.now()}-${++counter}`;

function post(key: string, extra: Record<string, unknown> = {}, target: Stack = stack, signal?: AbortSignal): Promise<Response> {
  return target.fetch('/v1/images/generations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ prompt: 'a fox', quality: 'low', ...extra }),
    ...(signal ? { signal } : {}),
  });
}

const del = (key: string, target: Stack = stack, secret?: string) =>
  target.fetch(`/v1/results/${key}`, { method: 'DELETE', ...(secret ? { headers: { authorization: `Bearer ${secret}` } } : {}) });

/** alice's reserved-but-unsettled money and images: both 0 when nothing is held. */
async function held(target: Stack = stack): Promise<{ usd: number; images: number }> {
  const [usd, spent, images, delivered] = await target.store.getMany([
    storeKeys.usd('alice', MONTH),
    storeKeys.usage('alice', MONTH, 'cost'),
    storeKeys.images('alice', NOW),
    storeKeys.usage('alice', MONTH, 'images'),
  ]);
  return { usd: usd! - spent!, images: images! - delivered! };
}

describe('DELETE /v1/results/{id} on a running request', () => {
  it('mid-stream: aborts the upstream call, charges only the partials delivered, keeps nothing; the id then runs fresh', async () => {
    const key = newKey();
    const before = await held();
    const res = await post(key, { stream: true, partial_images: 2 });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('image_generation.partial_image');
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(202);

    const cancelled = await del(key);
    expect(cancelled.status).toBe(200);
    expect(resultCancelSchema.parse(await cancelled.json())).toEqual({ object: 'framefill.result', id: key, status: 'cancelled' });
    expect(await eventually(() => stack.fake.requests[0]?.aborted === true, 2_000)).toBe(true);

    // The client still reading the stream is told why it ends, OpenAI-style.
    let rest = '';
    for (let i = 0; i < 100; i++) {
      const chunk = await reader.read();
      if (chunk.done) break;
      rest += new TextDecoder().decode(chunk.value);
    }
    const events = parseSse(rest).filter((e) => e.event !== undefined);
    expect(events.map((e) => e.event)).not.toContain('image_generation.completed');
    const last = streamEventSchema.parse(JSON.parse(events.at(-1)!.data));
    expect(last).toMatchObject({ type: 'error', error: { code: 'request_cancelled' } });

    expect(await held()).toEqual(before);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(404);
    const logs = await stack.waitForLogs(3);
    // Only what was delivered is charged: the partial preview(s) the client got (issue 11 defect 3).
    const line = logs.find((l) => l.route === '/v1/images/generations');
    expect(line).toMatchObject({ error: 'request_cancelled', images: 0 });
    expect(line!.cost_usd).toBeGreaterThan(0);

    stack.fake.setLatency(5);
    const again = await post(key);
    expect(again.status).toBe(200);
    expect(imagesResponseSchema.parse(await again.json()).data).toHaveLength(1);
    expect(stack.fake.requests).toHaveLength(2);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(200);
  });

  it('mid non-stream call: the same, and the waiting client gets a 499 request_cancelled', async () => {
    const key = newKey();
    const before = await held();
    const pending = post(key);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    const cancelled = await del(key);
    expect(resultCancelSchema.parse(await cancelled.json()).status).toBe('cancelled');
    const answer = await pending;
    expect(answer.status).toBe(499);
    expect(errorBodySchema.parse(await answer.json()).error.code).toBe('request_cancelled');
    expect(await eventually(() => stack.fake.requests[0]!.aborted, 2_000)).toBe(true);
    expect(await held()).toEqual(before);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(404);

    stack.fake.setLatency(5);
    expect((await post(key)).status).toBe(200);
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('a panel that left first (client gone) can still cancel: the detached call stops', async () => {
    const key = newKey();
    const controller = new AbortController();
    const pending = post(key, {}, stack, controller.signal).catch(() => null);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    controller.abort();
    await pending;
    await new Promise((r) => setTimeout(r, 100));
    expect(stack.fake.requests[0]!.aborted).toBe(false); // detached: still running for recovery
    expect((await del(key)).status).toBe(200);
    expect(await eventually(() => stack.fake.requests[0]!.aborted, 2_000)).toBe(true);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(404);
  });

  it("another token's DELETE is a 404 and the run goes on to its result", async () => {
    stack.fake.setLatency(600);
    const key = newKey();
    const pending = post(key);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    const theirs = await del(key, stack, BOB_SECRET);
    expect(theirs.status).toBe(404);
    expect(errorBodySchema.parse(await theirs.json()).error.code).toBe('not_found');
    expect((await pending).status).toBe(200);
    expect(stack.fake.requests[0]!.aborted).toBe(false);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(200);
  });
});

describe('DELETE /v1/results/{id} otherwise', () => {
  it('forgets a finished result (200 deleted, then 404); unknown ids are 404, bad ones 400, no token 401', async () => {
    stack.fake.setLatency(5);
    const key = newKey();
    expect((await post(key)).status).toBe(200);
    const deleted = await del(key);
    expect(resultCancelSchema.parse(await deleted.json())).toEqual({ object: 'framefill.result', id: key, status: 'deleted' });
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(404);
    expect((await del(key)).status).toBe(404);
    expect((await del('never-sent')).status).toBe(404);
    expect((await stack.fetch('/v1/results/bad%20id', { method: 'DELETE' })).status).toBe(400);
    expect((await fetch(`${stack.url}/v1/results/${key}`, { method: 'DELETE' })).status).toBe(401);
  });

  it('a cancel flag for an earlier run never stops a later run under the same id', async () => {
    stack.fake.setLatency(1_500);
    const key = newKey();
    await stack.store.put(storeKeys.cancel('alice', key), 'some-earlier-run', 60);
    const res = await post(key);
    expect(res.status).toBe(200);
    expect(stack.fake.requests[0]!.aborted).toBe(false);
  });
});

describe('DELETE on another instance', () => {
  let a: Stack;
  let b: Stack;
  const shared = new MemoryStore({ now: () => NOW });
  beforeAll(async () => {
    [a, b] = await Promise.all([
      startStack({ config: { limits }, deps: { clock: () => NOW, store: shared }, fake: { latencyMs: 8_000, partialIntervalMs: 10 } }),
      startStack({ config: { limits }, deps: { clock: () => NOW, store: shared } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('stops the run within about a second through the shared store, and the id runs fresh', async () => {
    const key = newKey();
    const before = await held(a);
    const res = await post(key, { stream: true, partial_images: 1 }, a);
    const reader = res.body!.getReader();
    await reader.read();
    const asked = Date.now();
    const cancelled = await del(key, b);
    expect(resultCancelSchema.parse(await cancelled.json()).status).toBe('cancelled');
    expect(await eventually(() => a.fake.requests[0]?.aborted === true, 2_500)).toBe(true);
    expect(Date.now() - asked).toBeLessThan(2_500);
    await reader.cancel().catch(() => {});
    expect(await eventually(() => a.logText.length >= 1, 2_000)).toBe(true);
    expect(await held(a)).toEqual(before);
    expect((await a.fetch(`/v1/results/${key}`)).status).toBe(404);
    expect(await shared.read(storeKeys.cancel('alice', key))).toBeNull();

    a.fake.setLatency(5);
    expect((await post(key, {}, a)).status).toBe(200);
    expect((await b.fetch(`/v1/results/${key}`)).status).toBe(200);
  });
});
