// Two backend instances sharing one real redis-server (FRAMEFILL_STORE=redis): the budget holds
// under 50 concurrent callers spread over both, usage is the same from either, and an
// idempotent request repeated on the other instance waits for the first — one upstream call.
// No redis-server → beforeAll throws and these tests fail (never skipped), like the store's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppFromEnv } from '../platform/app-from-env';
import { usageSummarySchema } from '../contract';
import { UNLIMITED } from '../test-helpers/stack';
import { maxCostMicros } from '../pricing';
import { RedisStore } from './redis-store';
import { startRedisServer, type RedisServer } from './test-helpers/redis-server';
import { storeKeys, utcMonth } from './keys';
import { concurrentSpend } from '../test-helpers/concurrent-spend';
import { ALICE_SECRET, startStack, type Stack } from '../test-helpers/stack';

const NOW = Date.parse('2026-11-24T10:00:30Z');
const MONTH = utcMonth(NOW);
const BUDGET = 50_000;
const LOW = { prompt: 'x', quality: 'low', size: '1024x1024' } as const;
const prefix = `ff-test:${Math.random().toString(36).slice(2)}:`;

let server: RedisServer;
let a: Stack;
let b: Stack;
let probe: RedisStore;

beforeAll(async () => {
  server = await startRedisServer();
  const limits = { defaults: UNLIMITED, perToken: { alice: { ...UNLIMITED, monthlyBudgetMicros: BUDGET } } };
  const open = () => new RedisStore({ url: server.url, prefix });
  [a, b] = await Promise.all([
    startStack({ config: { limits }, deps: { clock: () => NOW, store: open() }, fake: { latencyMs: 20 } }),
    startStack({ config: { limits }, deps: { clock: () => NOW, store: open() }, fake: { latencyMs: 20 } }),
  ]);
  probe = open();
});

afterAll(async () => {
  for (const s of [a, b]) {
    await s?.close();
    await s?.store.close();
  }
  await probe?.close();
  await server?.stop();
});

describe('budgets and results on a shared Redis store', () => {
  it('50 concurrent callers over two instances never spend more than one budget', async () => {
    const outcome = await concurrentSpend({ clients: [a.client(), b.client()], callers: 50, request: LOW });
    const spent = await probe.get(storeKeys.usage('alice', MONTH, 'cost'));
    expect(outcome.succeeded).toBeGreaterThanOrEqual(Math.floor(BUDGET / maxCostMicros({ ...LOW, n: 1 })));
    expect(outcome.refusals.length).toBeGreaterThan(0);
    expect(outcome.refusals.every((e) => e.status === 402 && e.code === 'budget_exceeded')).toBe(true);
    expect(spent).toBeLessThanOrEqual(BUDGET);
    expect(await probe.get(storeKeys.usd('alice', MONTH))).toBe(spent);
    expect(a.fake.requests.length + b.fake.requests.length).toBe(outcome.succeeded);
    // Either instance reports the same month.
    const [ua, ub] = await Promise.all([a, b].map(async (s) => usageSummarySchema.parse(await (await s.fetch('/v1/usage')).json())));
    expect(ua).toEqual(ub);
    expect(ua).toMatchObject({ requests: outcome.succeeded, budget_usd: BUDGET / 1e6 });
  });

  it('the same Idempotency-Key on two instances at once: one upstream call, same result', async () => {
    await probe.remove(storeKeys.usd('alice', MONTH)); // budget room again
    a.fake.reset();
    b.fake.reset();
    a.fake.setLatency(300);
    b.fake.setLatency(300);
    const key = `shared-${Date.now()}`;
    const options = { headers: { 'Idempotency-Key': key } };
    const [ra, rb] = await Promise.all([a.client().images.generate(LOW, options), b.client().images.generate(LOW, options)]);
    expect(ra).toEqual(rb);
    expect(a.fake.requests.length + b.fake.requests.length).toBe(1);
    // Each instance serves the stored result.
    for (const s of [a, b]) expect((await s.fetch(`/v1/results/${key}`)).status).toBe(200);
  });

  it('createAppFromEnv builds its store from FRAMEFILL_STORE and closes it', async () => {
    const built = await createAppFromEnv({
      OPENAI_API_KEY: 'sk-x',
      FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}`,
      FRAMEFILL_STORE: 'redis',
      REDIS_URL: server.url,
      FRAMEFILL_MONTHLY_BUDGET_USD: '7.5',
    }, { logger: () => {} });
    try {
      expect(built.store).toBeInstanceOf(RedisStore);
      const res = await built.app.request('/v1/usage', { headers: { authorization: `Bearer ${ALICE_SECRET}` } });
      expect(usageSummarySchema.parse(await res.json()).budget_usd).toBe(7.5);
    } finally {
      await built.close();
    }
    await expect(built.store.get('anything')).rejects.toThrow();
  });
});
