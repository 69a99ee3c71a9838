// Defect 1 of issue 11, deploys: SIGTERM to the real Node entry while a request is in flight.
// Two backends share one real redis-server and one token whose monthly budget fits one
// in-flight request (n=2 high-quality reserves about $0.42 of $0.50). With a 30 s upstream
// timeout the lease would hold the budget for 35 s, so the other instance can only serve the
// token at once if the stopping instance finished or released its reservation before it exited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../backend/store/test-helpers/redis-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { startNodeEntry, within, type NodeEntry } from './leases-node-entry';
import { COST_HEADER, usageSummarySchema } from '../../backend/contract';
import { storeKeys, utcMonth } from '../../backend/store/keys';
import { toMicros } from '../../backend/pricing';

const HIGH = JSON.stringify({ prompt: 'a lighthouse at dusk', quality: 'high', size: '1024x1024', n: 2 });

let redis: RedisServer;
let fake: FakeOpenAI;
const instances: NodeEntry[] = [];

async function start(): Promise<NodeEntry> {
  const instance = await startNodeEntry({
    OPENAI_API_KEY: 'sk-fake-test-key',
    OPENAI_BASE_URL: fake.url,
    FRAMEFILL_TOKENS: 'alice:alice-secret-1234567890,bob:bob-secret-1234567890',
    FRAMEFILL_STORE: 'redis',
    REDIS_URL: redis.url,
    FRAMEFILL_MONTHLY_BUDGET_USD: '0.50',
    FRAMEFILL_RATE_LIMIT_RPM: 'none',
    FRAMEFILL_DAILY_IMAGES: 'none',
    FRAMEFILL_UPSTREAM_TIMEOUT_MS: '30000',
    FRAMEFILL_UPSTREAM_RETRIES: '0',
  });
  instances.push(instance);
  return instance;
}

const post = (base: string, secret: string) =>
  fetch(`${base}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: HIGH,
    signal: AbortSignal.timeout(40_000),
  });

async function usageOn(base: string, secret: string) {
  return usageSummarySchema.parse(await (await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${secret}` } })).json());
}

/** Starts a request on `a` with the fake answering after `latencyMs`, and sends SIGTERM once it is upstream. */
async function sigtermMidRequest(a: NodeEntry, secret: string, latencyMs: number) {
  fake.reset();
  fake.setLatency(latencyMs);
  const pending = post(a.url, secret).then(async (r) => ({ status: r.status, cost: Number(r.headers.get(COST_HEADER)), body: await r.arrayBuffer() }), () => null);
  expect(await within(10_000, 50, async () => (fake.requests.length > 0 ? true : null))).toBe(true);
  a.signal('SIGTERM');
  fake.setLatency(50); // for what the other instance asks next
  const code = await within(20_000, 100, async () => (a.exitCode() === undefined ? null : a.exitCode()));
  return { answer: await pending, code };
}

beforeAll(async () => {
  redis = await startRedisServer();
  fake = await startFakeOpenAI({ latencyMs: 50 });
}, 30_000);

afterAll(async () => {
  await Promise.all(instances.map((i) => i.stop()));
  await fake?.close();
  await redis?.stop();
});

describe('SIGTERM with a request in flight', () => {
  it('a request that finishes within the grace is answered, charged once, and settled before exit', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const { answer, code } = await sigtermMidRequest(a, 'bob-secret-1234567890', 2_000);
    expect(code).toBe(0);
    expect(answer?.status).toBe(200);
    const usage = await usageOn(b.url, 'bob-secret-1234567890');
    expect(usage).toMatchObject({ requests: 1, images: 2 });
    expect(usage.cost_usd).toBeCloseTo(answer!.cost, 6);
    // Settled, not just answered: the money counter the budget is checked against holds exactly
    // what was spent (its $0.42 reservation moved to the actual cost), and no hold is left.
    const raw = redis.client();
    try {
      expect(Number(await raw.get(storeKeys.usd('bob', utcMonth(Date.now()))))).toBe(toMicros(usage.cost_usd));
      expect(await raw.zcard(storeKeys.leases('bob'))).toBe(0);
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  it('a request that outlives the grace has its reservation released before the instance exits', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const { code } = await sigtermMidRequest(a, 'alice-secret-1234567890', 60_000);
    expect(code).toBe(0);
    // The lease (35 s) has not expired: only a release before exit lets this through now.
    const next = await post(b.url, 'alice-secret-1234567890');
    expect(next.status).toBe(200);
    const cost = Number(next.headers.get(COST_HEADER));
    await next.body?.cancel();
    const usage = await usageOn(b.url, 'alice-secret-1234567890');
    expect(usage).toMatchObject({ requests: 1, images: 2 }); // nothing for the cut request
    expect(usage.cost_usd).toBeCloseTo(cost, 6);
  }, 60_000);
});
