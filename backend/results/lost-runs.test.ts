// An idempotent run whose instance stopped (IdempotencyGate): past its deadline the claim it left
// reads as lost, a repeat takes it over (exactly one of two racing repeats), and the stopped run
// (were it only slow) can no longer drop the new run's claim.
import { describe, expect, it } from 'vitest';
import { IdempotencyGate } from './idempotency';
import { MemoryStore } from '../store';

const LEASE = 10_000;

function setup() {
  const clock = { now: Date.parse('2026-11-24T12:00:00Z') };
  const store = new MemoryStore({ now: () => clock.now });
  // Two instances on one store (waitMs 0: a repeat that finds a live run gives up at once).
  const gate = () => new IdempotencyGate(store, { ttlSeconds: 3_600, maxBytes: 1e6, claimTtlSeconds: 20, waitMs: 0, warn: () => {}, now: () => clock.now });
  return { clock, a: gate(), b: gate() };
}

describe('a keyed run lost with its instance', () => {
  it('is running until its deadline, then lost (kept as long as a result would be), and a repeat runs it again', async () => {
    const { clock, a, b } = setup();
    const first = await a.begin('alice', 'k1', 'generations', 'print', LEASE);
    expect(first.kind).toBe('run');
    expect(await b.runStatus('alice', 'k1')).toBe('running');
    await expect(b.begin('alice', 'k1', 'generations', 'print', LEASE)).rejects.toMatchObject({ status: 409, code: 'request_in_progress' });

    clock.now += LEASE + 1;
    expect(await b.runStatus('alice', 'k1')).toBe('lost');
    expect(await b.runningNonce('alice', 'k1')).toBeNull(); // nothing left to cancel
    clock.now += 30 * 60_000; // far past the old claim TTL: still reported
    expect(await b.runStatus('alice', 'k1')).toBe('lost');

    const [x, y] = await Promise.all([b.begin('alice', 'k1', 'generations', 'print', LEASE), a.begin('alice', 'k1', 'generations', 'print', LEASE).catch((e: unknown) => e)]);
    expect(x).toMatchObject({ kind: 'run' });
    expect(y).toMatchObject({ status: 409, code: 'request_in_progress' }); // only one repeat takes it over
    expect(await a.runStatus('alice', 'k1')).toBe('running');

    // The lost run was only slow: finishing now must not drop the new run's claim.
    if (first.kind === 'run') await first.claim.finish(null);
    expect(await a.runStatus('alice', 'k1')).toBe('running');
    if (x.kind === 'run') await x.claim.finish(null);
    expect(await a.runStatus('alice', 'k1')).toBeNull();
  });
});
