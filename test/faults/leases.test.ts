// Defect 1 of issue 11: a killed instance must not keep its reservation. Two real Node backends
// (backend/platform/node.ts) share one real redis-server and one token whose monthly budget fits
// one in-flight request at a time; the fake OpenAI answers slowly. Instance A is killed with
// SIGKILL while its request is upstream: B must refuse at first (A's reservation is still live),
// then serve the same token within 15 s (the lease expired and B released it), and /v1/usage
// must show nothing spent for the killed request. A keyed run lost that way is reported failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, startFaultRig, within, type FaultRig, type NodeEntry } from './leases-node-entry';
import { COST_HEADER } from '../../backend/contract';

const TIMEOUT_MS = 5_000;
let rig: FaultRig;

/** Starts a slow request on `a` and kills -9 `a` once the request is upstream (its reservation made). */
async function killMidRequest(a: NodeEntry, secret: string, key?: string): Promise<number> {
  rig.fake.reset();
  rig.fake.setLatency(60_000);
  const pending = rig.post(a.url, secret, key).then((r) => r.status, () => 'cut');
  const upstream = await within(10_000, 50, async () => (rig.fake.requests.length > 0 ? true : null));
  expect(upstream, 'the request reached the fake OpenAI').toBe(true);
  a.signal('SIGKILL');
  await a.exited;
  const killedAt = Date.now();
  expect(await pending).toBe('cut');
  rig.fake.setLatency(50);
  return killedAt;
}

beforeAll(async () => {
  rig = await startFaultRig();
}, 30_000);

afterAll(() => rig?.close());

describe('a killed instance does not keep its reservation (leases)', () => {
  it('kill -9 mid-request: the other instance refuses at first, then serves the same token within 15 s; nothing is spent for the killed request', async () => {
    const [a, b] = await Promise.all([rig.start(TIMEOUT_MS), rig.start(TIMEOUT_MS)]);
    const killedAt = await killMidRequest(a, ALICE);

    const first = await rig.post(b.url, ALICE);
    expect(first.status).toBe(402); // A's reservation is still live: the budget holds
    await first.body?.cancel();

    const served = await within(15_000 - (Date.now() - killedAt), 500, async () => {
      const r = await rig.post(b.url, ALICE);
      if (r.status === 200) return r;
      await r.body?.cancel();
      expect(r.status).toBe(402);
      return null;
    });
    expect(served?.status, 'B serves the token again within 15 s of the kill').toBe(200);
    const cost = Number(served!.headers.get(COST_HEADER));
    await served!.body?.cancel();

    const usage = await rig.usage(b.url, ALICE);
    expect(usage).toMatchObject({ requests: 1, images: 2 }); // B's request only
    expect(usage.cost_usd).toBeCloseTo(cost, 6);
  }, 60_000);

  it('a keyed run on a killed instance is reported failed within 15 s, not running forever; a repeat runs it again', async () => {
    const [a, b] = await Promise.all([rig.start(TIMEOUT_MS), rig.start(TIMEOUT_MS)]);
    const killedAt = await killMidRequest(a, BOB, 'run-lost-1');
    const result = () => fetch(`${b.url}/v1/results/run-lost-1`, { headers: { authorization: `Bearer ${BOB}` } });

    const running = await result();
    expect(running.status).toBe(202);
    await running.body?.cancel();

    const failed = await within(15_000 - (Date.now() - killedAt), 500, async () => {
      const r = await result();
      const body = (await r.json()) as { error?: { code?: string } };
      return r.status === 202 ? null : { status: r.status, code: body.error?.code };
    });
    expect(failed).toEqual({ status: 500, code: 'request_lost' });

    const again = await rig.post(b.url, BOB, 'run-lost-1');
    expect(again.status).toBe(200);
    await again.body?.cancel();
    const after = await result();
    expect(after.status).toBe(200);
    await after.body?.cancel();
  }, 60_000);
});
