// Reserving against a token's limits and settlement, on the in-memory store with a fixed clock.
import { describe, expect, it } from 'vitest';
import { reserveWithinLimits } from './reservation';
import { HttpError } from '../errors';
import type { Limits } from '../config/limits';
import { UNLIMITED } from '../test-helpers/stack';
import { MemoryStore } from '../store';
import { readUsage } from './usage-ledger';

const NOV_LAST = Date.parse('2026-11-30T23:59:59Z');
const DEC_FIRST = Date.parse('2026-12-01T00:00:00Z');
const limits = (l: Partial<Limits>): Limits => ({ ...UNLIMITED, ...l });
const totals = (images: number, costUsd: number) => ({ images, requests: 1, input_tokens: 10, output_tokens: 200 * images, cost_usd: costUsd });

async function refusal(p: Promise<unknown>): Promise<HttpError> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(err)}`);
  return err;
}

describe('reserveWithinLimits / settle', () => {
  it('reserves the maximum, then keeps only the actual cost (refund of the difference)', async () => {
    const now = NOV_LAST - 60_000;
    const store = new MemoryStore({ now: () => now });
    const a = await reserveWithinLimits(store, { name: 'alice', limits: limits({ monthlyBudgetMicros: 1_000_000 }), now, images: 2, maxMicros: 400_000 });
    expect(await store.get('usd:alice:2026-11')).toBe(400_000);
    await a.settle(totals(2, 0.012), now);
    expect(await store.get('usd:alice:2026-11')).toBe(12_000);
    expect(await readUsage(store, 'alice', '2026-11')).toEqual({ images: 2, partial_images: 0, requests: 1, input_tokens: 10, output_tokens: 400, cost_usd: 0.012 });
    await a.settle(totals(2, 0.012), now); // once only
    expect(await store.get('usd:alice:2026-11')).toBe(12_000);
  });

  it('releases everything (money and images) when nothing was delivered', async () => {
    const store = new MemoryStore({ now: () => NOV_LAST });
    const a = await reserveWithinLimits(store, { name: 'alice', limits: limits({ monthlyBudgetMicros: 1_000_000, dailyImages: 5 }), now: NOV_LAST, images: 3, maxMicros: 300_000 });
    expect(await store.getMany(['usd:alice:2026-11', 'img:alice:2026-11-30'])).toEqual([300_000, 3]);
    await a.settle(null, NOV_LAST);
    expect(await store.getMany(['usd:alice:2026-11', 'img:alice:2026-11-30'])).toEqual([0, 0]);
    expect((await readUsage(store, 'alice', '2026-11')).requests).toBe(0);
  });

  it('keeps the images and cost that were delivered by a call that failed half way', async () => {
    const store = new MemoryStore({ now: () => NOV_LAST });
    const a = await reserveWithinLimits(store, { name: 'alice', limits: limits({ dailyImages: 10 }), now: NOV_LAST, images: 4, maxMicros: 800_000 });
    await a.settle(totals(1, 0.05), NOV_LAST);
    expect(await store.getMany(['usd:alice:2026-11', 'img:alice:2026-11-30'])).toEqual([50_000, 1]);
  });

  it('settles a call that spans midnight at the month end into the month it was admitted in', async () => {
    let now = NOV_LAST;
    const store = new MemoryStore({ now: () => now });
    const budget = limits({ monthlyBudgetMicros: 500_000 });
    const a = await reserveWithinLimits(store, { name: 'alice', limits: budget, now, images: 1, maxMicros: 450_000 });
    expect(a.month).toBe('2026-11');
    now = DEC_FIRST + 5_000;
    await a.settle(totals(1, 0.2), now);
    expect(await store.get('usd:alice:2026-11')).toBe(200_000);
    expect(await store.get('usd:alice:2026-12')).toBe(0);
    // December starts with the whole budget.
    const b = await reserveWithinLimits(store, { name: 'alice', limits: budget, now, images: 1, maxMicros: 450_000 });
    expect(b.month).toBe('2026-12');
  });

  it('refuses images past the daily limit (429 daily_image_limit) without reserving money', async () => {
    const now = Date.parse('2026-11-24T21:00:00Z');
    const store = new MemoryStore({ now: () => now });
    const daily = limits({ dailyImages: 5, monthlyBudgetMicros: 10_000_000 });
    await reserveWithinLimits(store, { name: 'bob', limits: daily, now, images: 4, maxMicros: 1_000 });
    const err = await refusal(reserveWithinLimits(store, { name: 'bob', limits: daily, now, images: 2, maxMicros: 1_000 }));
    expect(err.status).toBe(429);
    expect(err.code).toBe('daily_image_limit');
    expect(err.headers).toMatchObject({ 'retry-after': String(3 * 3600), 'x-should-retry': 'false' });
    expect(err.message).toMatch(/asks for 2 images but only 1 of the 5 daily images for 'bob' are left/);
    expect(await store.getMany(['img:bob:2026-11-24', 'usd:bob:2026-11'])).toEqual([4, 1_000]);
  });

  it('refuses over the budget with 402 budget_exceeded, says when it resets, and gives the images back', async () => {
    const store = new MemoryStore({ now: () => NOV_LAST });
    const budget = limits({ monthlyBudgetMicros: 25_000_000, dailyImages: 100 });
    const a = await reserveWithinLimits(store, { name: 'alice', limits: budget, now: NOV_LAST, images: 1, maxMicros: 24_910_000 });
    await a.settle(totals(1, 24.91), NOV_LAST);
    const err = await refusal(reserveWithinLimits(store, { name: 'alice', limits: budget, now: NOV_LAST, images: 1, maxMicros: 211_000 }));
    expect(err.status).toBe(402);
    expect(err.code).toBe('budget_exceeded');
    expect(err.message).toBe("Monthly budget of $25.00 for 'alice' is used up ($24.91 spent). It resets on 1 December (UTC).");
    expect(await store.get('img:alice:2026-11-30')).toBe(1);

    const roomy = await refusal(reserveWithinLimits(store, { name: 'bob', limits: limits({ monthlyBudgetMicros: 1_000_000 }), now: NOV_LAST, images: 1, maxMicros: 1_500_000 }));
    expect(roomy.message).toMatch(/could cost up to \$1\.50, more than the \$1\.00 left of the \$1\.00 monthly budget for 'bob'/);
  });
});

describe('reserveWithinLimits under concurrency', () => {
  it('50 simultaneous reservations on one budget reserveWithinLimits exactly as many as fit', async () => {
    const store = new MemoryStore({ now: () => NOV_LAST });
    const budget = limits({ monthlyBudgetMicros: 50_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => reserveWithinLimits(store, { name: 'cole', limits: budget, now: NOV_LAST, images: 1, maxMicros: 6_115 })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(8); // 8 × 6 115 = 48 920 ≤ 50 000 < 9 × 6 115
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r.reason as HttpError).status === 402)).toBe(true);
    expect(await store.get('usd:cole:2026-11')).toBe(48_920);
  });
});
