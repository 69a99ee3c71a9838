// Reservations as leases (reservation.ts), on the in-memory store with a clock the test moves:
// what an instance that never settles (killed) or settles late (slow) leaves behind, and the
// shutdown settlement.
import { describe, expect, it } from 'vitest';
import { reserveWithinLimits, settleOpenReservations } from './reservation';
import { HttpError } from '../errors';
import { UNLIMITED } from '../test-helpers/stack';
import { MemoryStore } from '../store';

const START = Date.parse('2026-11-24T10:00:00Z');
const LEASE = 10_000;
const limits = { ...UNLIMITED, monthlyBudgetMicros: 500_000, dailyImages: 4 };
const totals = (images: number, costUsd: number) => ({ images, requests: 1, input_tokens: 10, output_tokens: 100, cost_usd: costUsd });

function setup() {
  const clock = { now: START };
  const store = new MemoryStore({ now: () => clock.now });
  const reserve = () => reserveWithinLimits(store, { name: 'alice', limits, now: clock.now, images: 2, maxMicros: 420_000, leaseMs: LEASE });
  const counters = () => store.getMany(['usd:alice:2026-11', 'img:alice:2026-11-24']);
  return { clock, store, reserve, counters };
}

describe('reservations are leases', () => {
  it('a reservation never settled (its instance died) blocks the budget only until its lease expires', async () => {
    const { clock, reserve, counters } = setup();
    await reserve(); // never settled
    clock.now += LEASE - 1;
    const refused = await reserve().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect((refused as HttpError).status).toBe(402);
    clock.now += 1;
    const next = await reserve(); // the expired hold went back first
    expect(await counters()).toEqual([420_000, 2]);
    await next.settle(totals(2, 0.1), clock.now);
    expect(await counters()).toEqual([100_000, 2]);
  });

  it('a slow instance whose hold was released meanwhile still books what it delivered, once', async () => {
    const { clock, reserve, counters } = setup();
    const slow = await reserve();
    clock.now += LEASE;
    const other = await reserve(); // releases `slow`'s holds
    await other.settle(totals(1, 0.05), clock.now);
    expect(await counters()).toEqual([50_000, 1]);
    await slow.settle(totals(2, 0.2), clock.now);
    expect(await counters()).toEqual([250_000, 3]);
  });

  it('on shutdown, open reservations are settled as delivering nothing before the store closes', async () => {
    const { clock, store, reserve, counters } = setup();
    const done = await reserve();
    await done.settle(totals(1, 0.05), clock.now);
    await reserve(); // still running at shutdown
    expect(await counters()).toEqual([470_000, 3]);
    await settleOpenReservations(store, 100, () => clock.now);
    expect(await counters()).toEqual([50_000, 1]);
  });
});
