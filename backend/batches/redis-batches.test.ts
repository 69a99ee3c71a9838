// Overnight batches with two instances on a real redis-server (FRAMEFILL_STORE=redis): the batch
// submitted on one is followed by both at once, collected once, charged once, and its results are
// served by either; two instances racing one Idempotency-Key make one batch. No redis-server → beforeAll throws and the test fails (never skipped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../contract';
import { wireApp } from '../dependencies';
import { toMicros } from '../pricing';
import { RedisStore } from '../store/redis-store';
import { storeKeys, utcMonth } from '../store/keys';
import { startRedisServer, type RedisServer } from '../store/test-helpers/redis-server';
import { ALICE_SECRET, startStack, type Stack } from '../test-helpers/stack';
import { pngOf } from '../../test/support/images';
import { startServer } from '../test-helpers/start-server';
import { advanceBatches } from './advance';

const prefix = `ff-batch-test:${Math.random().toString(36).slice(2)}:`;
let server: RedisServer;
let stack: Stack;
let other: RedisStore;

beforeAll(async () => {
  server = await startRedisServer();
  stack = await startStack({ fake: { batchLatencyMs: 3_600_000 }, deps: { store: new RedisStore({ url: server.url, prefix }) } });
  other = new RedisStore({ url: server.url, prefix });
});
afterAll(async () => {
  await stack?.close();
  await stack?.store.close();
  await other?.close();
  await server?.stop();
});

describe('a batch on a shared Redis store', () => {
  it('is collected and charged once when two instances follow it at the same moment', async () => {
    const items = [
      { id: 'r-gen-1', kind: 'generation', prompt: 'a harbour', quality: 'low', size: '1024x1024' },
      { id: 'r-gen-2', kind: 'generation', prompt: 'a bridge', quality: 'low', size: '1024x1024' },
      { id: 'r-edit-1', kind: 'edit', prompt: 'in winter', quality: 'low', size: '1024x1024', images: [Buffer.from(pngOf(128, 128)).toString('base64')] },
    ];
    const res = await stack.fetch('/v1/framefill/batches', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items }) });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as Batch;
    stack.fake.batches.completeNow();

    const a = wireApp(stack.config, { store: stack.store }).routes;
    const b = wireApp(stack.config, { store: other }).routes;
    const [ra, rb] = await Promise.all([advanceBatches(a, Date.now()), advanceBatches(b, Date.now())]);
    expect(ra.finished + rb.finished).toBe(1);
    await advanceBatches(b, Date.now());
    expect(stack.fake.requests.filter((r) => r.method === 'GET' && r.route.endsWith('/content'))).toHaveLength(2);

    const view = (await (await stack.fetch(`/v1/framefill/batches/${id}`)).json()) as Batch;
    expect(view.status).toBe('completed');
    const charged = view.items.reduce((sum, item) => sum + toMicros(item.cost_usd ?? 0), 0);
    expect(charged).toBeGreaterThan(0);
    expect(await other.get(storeKeys.usd('alice', utcMonth(Date.now())))).toBe(charged);
    for (const item of items) {
      const result = await fetch(`${stack.url}/v1/results/${item.id}`, { headers: { authorization: `Bearer ${ALICE_SECRET}` } });
      expect(result.status).toBe(200);
    }
  });

  it('gives two instances racing one Idempotency-Key one batch', async () => {
    const twin = await startServer(stack.config, { store: other, logger: () => {}, errorLog: () => {} });
    try {
      const before = stack.fake.batches.list().length;
      const post = (origin: string) =>
        fetch(`${origin}/v1/framefill/batches`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ALICE_SECRET}`, 'content-type': 'application/json', 'idempotency-key': 'r-sched-1' },
          body: JSON.stringify({ items: [{ id: 'r-key-1', kind: 'generation', prompt: 'a lighthouse', quality: 'low', size: '1024x1024' }] }),
        });
      const answers = await Promise.all([post(stack.url), post(twin.url)]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
      const [a, b] = await Promise.all(answers.map(async (r) => ((await r.json()) as Batch).id));
      expect(a).toBe(b);
      expect(stack.fake.batches.list()).toHaveLength(before + 1);
    } finally {
      await twin.close(0);
    }
  });
});
