import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../store';
import { countRequest } from './rate-limit';
import { currentWindowCapacity, secondsUntilCapacity } from './sliding-window';

const at = (iso: string) => Date.parse(iso);

/** How many of `count` requests at `now` the limit lets in. */
async function admitted(store: MemoryStore, rpm: number, now: number, count: number): Promise<number> {
  let ok = 0;
  for (let i = 0; i < count; i++) if ((await countRequest(store, 'bob', rpm, now)).ok) ok++;
  return ok;
}

describe('per-minute rate limit (sliding window)', () => {
  it('does not let twice the limit through across a minute boundary (was: 40 in 2.4 s at rpm=20)', async () => {
    let now = at('2026-11-24T10:00:58.800Z');
    const store = new MemoryStore({ now: () => now });
    expect(await admitted(store, 20, now, 20)).toBe(20);
    now = at('2026-11-24T10:01:01.200Z');
    // Fixed windows would let another 20 in here; the last minute's 20 still count almost fully.
    expect(await admitted(store, 20, now, 20)).toBe(0);
    const refused = await countRequest(store, 'bob', 20, now);
    expect(refused).toEqual({ ok: false, wait: 2 }); // 20 × (1 − f) ≤ 19 once f ≥ 1/20, i.e. at 10:01:03
    now = at('2026-11-24T10:01:03.000Z');
    expect(await admitted(store, 20, now, 5)).toBe(1);
    // By the end of the new minute the old one has all but faded out: 19 more (20 this minute).
    now = at('2026-11-24T10:01:59.900Z');
    expect(await admitted(store, 20, now, 30)).toBe(18);
  });

  it('keeps one token\'s count apart from another\'s', async () => {
    const now = at('2026-11-24T10:00:30Z');
    const store = new MemoryStore({ now: () => now });
    expect(await admitted(store, 2, now, 3)).toBe(2);
    expect((await countRequest(store, 'alice', 2, now)).ok).toBe(true);
  });

  it('says how long to wait: later this minute, or into the next one', () => {
    const now = at('2026-11-24T10:00:30Z');
    // Full this minute with nothing before: the next minute, once this one weighs ≤ limit − 1.
    expect(secondsUntilCapacity(3, 0, 3, now)).toBe(30 + 20);
    // Room this minute but the previous weighs too much: once 10 × (1 − f) ≤ 10 − 2 − 1, at f = 0.3.
    expect(secondsUntilCapacity(10, 10, 2, at('2026-11-24T10:00:06Z'))).toBe(12);
    expect(currentWindowCapacity(10, 10, at('2026-11-24T10:00:18Z'))).toBe(3);
    expect(currentWindowCapacity(10, 0, now)).toBe(10);
  });
});
