import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store';
import { storeContract } from './test-helpers/store-contract';

describe('MemoryStore: store contract', () => {
  let now = Date.UTC(2030, 0, 1);
  let shared: MemoryStore | undefined;
  storeContract({
    // One process = one store; every "instance" is the same object.
    open: () => (shared ??= new MemoryStore({ now: () => now })),
    pass: async (ms) => { now += ms; },
  });
});

describe('MemoryStore: expiry and memory', () => {
  it('expires exactly at the TTL on the injected clock', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    await store.put('k', 'v', 10);
    now += 9_999;
    expect(await store.read('k')).toBe('v');
    now += 1;
    expect(await store.read('k')).toBeNull();
  });

  it('sweeps expired keys nobody reads again, so memory follows the live set', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now });
    // 1 000 one-off rate-limit windows that are never touched again…
    for (let i = 0; i < 1_000; i++) await store.add(`window:${i}`, 1, 1);
    expect(store.size).toBe(1_000);
    now += 2_000;
    // …then 1 000 writes of new keys: the sweep must have dropped the dead ones by now.
    for (let i = 0; i < 1_000; i++) await store.add(`later:${i}`, 1, 60);
    expect(store.size).toBe(1_000);
    expect(await store.get('later:999')).toBe(1);
  });
});
