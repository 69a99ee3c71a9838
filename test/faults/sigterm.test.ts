// Defect 1 of issue 11, deploys: SIGTERM to the real Node entry while a request is in flight.
// Two backends share one real redis-server and one token whose monthly budget fits one
// in-flight request (about $0.42 reserved of $0.50). With a 30 s upstream timeout the lease would
// hold the budget for 35 s: the stopping instance must settle what it started before it exits —
// at the actual cost when the call finished within the grace, as an abandoned call when it was cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, startFaultRig, within, type FaultRig, type NodeEntry } from './leases-node-entry';
import { COST_HEADER } from '../../backend/contract';
import { storeKeys, utcMonth } from '../../backend/store/keys';
import { toMicros } from '../../backend/pricing';

const TIMEOUT_MS = 30_000;
let rig: FaultRig;

/** Starts a request on `a` with the fake answering after `latencyMs`, and sends SIGTERM once it is upstream. */
async function sigtermMidRequest(a: NodeEntry, secret: string, latencyMs: number) {
  rig.fake.reset();
  rig.fake.setLatency(latencyMs);
  const pending = rig.post(a.url, secret).then(async (r) => ({ status: r.status, cost: Number(r.headers.get(COST_HEADER)), body: await r.arrayBuffer() }), () => null);
  expect(await within(10_000, 50, async () => (rig.fake.requests.length > 0 ? true : null))).toBe(true);
  a.signal('SIGTERM');
  const signalled = Date.now();
  rig.fake.setLatency(50); // for what the other instance asks next
  const code = await within(20_000, 100, async () => (a.exitCode() === undefined ? null : a.exitCode()));
  return { answer: await pending, code, exitedAfterMs: Date.now() - signalled };
}

beforeAll(async () => {
  rig = await startFaultRig();
}, 30_000);

afterAll(() => rig?.close());

describe('SIGTERM with a request in flight', () => {
  it('a request that finishes within the grace is answered, charged once, and settled before exit', async () => {
    const [a, b] = await Promise.all([rig.start(TIMEOUT_MS), rig.start(TIMEOUT_MS)]);
    const { answer, code } = await sigtermMidRequest(a, BOB, 2_000);
    expect(code).toBe(0);
    expect(answer?.status).toBe(200);
    const usage = await rig.usage(b.url, BOB);
    expect(usage).toMatchObject({ requests: 1, images: 2 });
    expect(usage.cost_usd).toBeCloseTo(answer!.cost, 6);
    // Settled, not just answered: the money counter the budget is checked against holds exactly
    // what was spent (its $0.42 reservation moved to the actual cost), and no hold is left.
    const raw = rig.redis.client();
    try {
      expect(Number(await raw.get(storeKeys.usd('bob', utcMonth(Date.now()))))).toBe(toMicros(usage.cost_usd));
      expect(await raw.zcard(storeKeys.leases('bob'))).toBe(0);
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  it('a request that outlives the grace is settled before the instance exits: charged as an abandoned call, nothing left held', async () => {
    // A platform that kills 5 s after SIGTERM: the operator sets a shorter grace, and the instance
    // cuts the call and settles within it instead of waiting out the default 10 s.
    const [a, b] = await Promise.all([rig.start(TIMEOUT_MS, { FRAMEFILL_SHUTDOWN_GRACE_MS: '1500' }), rig.start(TIMEOUT_MS)]);
    const { code, exitedAfterMs } = await sigtermMidRequest(a, ALICE, 60_000);
    expect(code).toBe(0);
    expect(exitedAfterMs).toBeGreaterThanOrEqual(1_400);
    expect(exitedAfterMs).toBeLessThan(5_000);
    // The call was cut after it went upstream, and OpenAI bills what it generates anyway, so it
    // is charged like any abandoned call (pricing.abandonedCallTokens: the published price of
    // the images asked for) — settled, not left as a 35 s hold on the budget.
    const usage = await rig.usage(b.url, ALICE);
    expect(usage).toMatchObject({ requests: 1, images: 0 });
    expect(usage.cost_usd).toBeCloseTo(2 * 0.211, 2);
    const raw = rig.redis.client();
    try {
      expect(await raw.zcard(storeKeys.leases('alice'))).toBe(0);
      // The money counter holds what was charged: no reservation is left in it.
      expect(Number(await raw.get(storeKeys.usd('alice', utcMonth(Date.now()))))).toBe(toMicros(usage.cost_usd));
    } finally {
      raw.disconnect();
    }
  }, 60_000);
});
