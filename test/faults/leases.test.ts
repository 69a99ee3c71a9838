// Defect 1 of issue 11: a killed instance must not keep its reservation. Two real Node backends
// (backend/platform/node.ts) share one real redis-server and one token whose monthly budget fits
// one high-quality request at a time; the fake OpenAI answers slowly. Instance A is killed with
// SIGKILL while its request is upstream: B must refuse at first (A's reservation is still live),
// then serve the same token within 15 s (the lease expired and B released it), and /v1/usage
// must show nothing spent for the killed request. A keyed run lost that way is reported failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../../backend/store/test-helpers/redis-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { startNodeEntry, within, type NodeEntry } from './leases-node-entry';
import { COST_HEADER, usageSummarySchema } from '../../backend/contract';

const HIGH = JSON.stringify({ prompt: 'a lighthouse at dusk', quality: 'high', size: '1024x1024', n: 2 });
const SLOW_MS = 60_000;

let redis: RedisServer;
let fake: FakeOpenAI;
const instances: NodeEntry[] = [];

const env = () => ({
  OPENAI_API_KEY: 'sk-fake-test-key',
  OPENAI_BASE_URL: fake.url,
  FRAMEFILL_TOKENS: 'alice:alice-secret-1234567890,bob:bob-secret-1234567890',
  FRAMEFILL_STORE: 'redis',
  REDIS_URL: redis.url,
  // Two high-quality 1024×1024 images reserve about $0.42: a second one does not fit while it is held.
  FRAMEFILL_MONTHLY_BUDGET_USD: '0.50',
  FRAMEFILL_RATE_LIMIT_RPM: 'none',
  FRAMEFILL_DAILY_IMAGES: 'none',
  FRAMEFILL_UPSTREAM_TIMEOUT_MS: '5000',
  FRAMEFILL_UPSTREAM_RETRIES: '0',
});

async function start(): Promise<NodeEntry> {
  const instance = await startNodeEntry(env());
  instances.push(instance);
  return instance;
}

function post(base: string, secret: string, key?: string): Promise<Response> {
  return fetch(`${base}/v1/images/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: HIGH,
    signal: AbortSignal.timeout(20_000),
  });
}

/** Starts a slow request on `a` and kills -9 `a` once the request is upstream (its reservation made). */
async function killMidRequest(a: NodeEntry, secret: string, key?: string): Promise<number> {
  fake.reset();
  fake.setLatency(SLOW_MS);
  const pending = post(a.url, secret, key).then((r) => r.status, () => 'cut');
  const upstream = await within(10_000, 50, async () => (fake.requests.length > 0 ? true : null));
  expect(upstream, 'the request reached the fake OpenAI').toBe(true);
  a.signal('SIGKILL');
  await a.exited;
  const killedAt = Date.now();
  expect(await pending).toBe('cut');
  fake.setLatency(50);
  return killedAt;
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

describe('a killed instance does not keep its reservation (leases)', () => {
  it('kill -9 mid-request: the other instance refuses at first, then serves the same token within 15 s; nothing is spent for the killed request', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const killedAt = await killMidRequest(a, 'alice-secret-1234567890');

    const first = await post(b.url, 'alice-secret-1234567890');
    expect(first.status).toBe(402); // A's reservation is still live: the budget holds
    await first.body?.cancel();

    const served = await within(15_000 - (Date.now() - killedAt), 500, async () => {
      const r = await post(b.url, 'alice-secret-1234567890');
      if (r.status === 200) return r;
      await r.body?.cancel();
      expect(r.status).toBe(402);
      return null;
    });
    expect(served?.status, 'B serves the token again within 15 s of the kill').toBe(200);
    const cost = Number(served!.headers.get(COST_HEADER));
    await served!.body?.cancel();

    const usage = usageSummarySchema.parse(await (await fetch(`${b.url}/v1/usage`, { headers: { authorization: 'Bearer alice-secret-1234567890' } })).json());
    expect(usage).toMatchObject({ requests: 1, images: 2 }); // B's request only
    expect(usage.cost_usd).toBeCloseTo(cost, 6);
  }, 60_000);

  it('a keyed run on a killed instance is reported failed within 15 s, not running forever; a repeat runs it again', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const killedAt = await killMidRequest(a, 'bob-secret-1234567890', 'run-lost-1');
    const result = () => fetch(`${b.url}/v1/results/run-lost-1`, { headers: { authorization: 'Bearer bob-secret-1234567890' } });

    const running = await result();
    expect(running.status).toBe(202);
    await running.body?.cancel();

    const failed = await within(15_000 - (Date.now() - killedAt), 500, async () => {
      const r = await result();
      const body = (await r.json()) as { error?: { code?: string } };
      return r.status === 202 ? null : { status: r.status, code: body.error?.code };
    });
    expect(failed).toEqual({ status: 500, code: 'request_lost' });

    const again = await post(b.url, 'bob-secret-1234567890', 'run-lost-1');
    expect(again.status).toBe(200);
    await again.body?.cancel();
    const after = await result();
    expect(after.status).toBe(200);
    await after.body?.cancel();
  }, 60_000);
});
