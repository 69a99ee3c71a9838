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

describe('MemoryStore: the cap on evictable values (results)', () => {
  const result = (tag: string, chars: number) => tag.padEnd(chars, '.');
  const marker = (tag: string) => `marker:${tag}`;
  const putResult = (store: MemoryStore, key: string, chars: number, ttl = 60) =>
    store.put(key, result(key, chars), ttl, { evictable: true, replacement: marker(key) });

  it('keeps results up to the cap, then replaces the oldest by its marker; counters are never touched', async () => {
    const store = new MemoryStore({ now: () => 1_000_000, maxEvictableBytes: 100 });
    await store.add('usd:alice:2030-01', 5_000, 60);
    await putResult(store, 'r1', 40);
    await putResult(store, 'r2', 40);
    expect(store.heldEvictableBytes).toBe(80);
    await store.add('usd:alice:2030-01', 1, 60);
    await putResult(store, 'r3', 40);
    // 120 > 100: the oldest goes, the two newest stay whole.
    expect(await store.read('r1')).toBe(marker('r1'));
    expect(await store.read('r2')).toBe(result('r2', 40));
    expect(await store.read('r3')).toBe(result('r3', 40));
    expect(store.heldEvictableBytes).toBe(80);
    for (let i = 4; i < 50; i++) await putResult(store, `r${i}`, 40);
    expect(store.heldEvictableBytes).toBeLessThanOrEqual(100);
    expect(await store.get('usd:alice:2030-01')).toBe(5_001);
    expect(await store.read('r2')).toBe(marker('r2'));
    expect(await store.read('r49')).toBe(result('r49', 40));
  });

  it('a marker lives until the result would have expired, no longer', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now, maxEvictableBytes: 50 });
    await putResult(store, 'old', 40, 10);
    now += 5_000;
    await putResult(store, 'new', 40, 60);
    expect(await store.read('old')).toBe(marker('old'));
    now += 4_999;
    expect(await store.read('old')).toBe(marker('old'));
    now += 1;
    expect(await store.read('old')).toBeNull();
  });

  it('without a replacement an evicted key reads as absent, like an expired one', async () => {
    const store = new MemoryStore({ now: () => 1_000_000, maxEvictableBytes: 50 });
    await store.put('a', result('a', 40), 60, { evictable: true });
    await store.put('b', result('b', 40), 60, { evictable: true });
    expect(await store.read('a')).toBeNull();
    expect(await store.read('b')).toBe(result('b', 40));
  });

  it('counts a rewritten result as the newest, and frees what expires, is removed or is overwritten', async () => {
    let now = 1_000_000;
    const store = new MemoryStore({ now: () => now, maxEvictableBytes: 100 });
    await putResult(store, 'a', 40);
    await putResult(store, 'b', 40, 5);
    await putResult(store, 'a', 40); // a is now newer than b
    expect(store.heldEvictableBytes).toBe(80);
    await putResult(store, 'c', 40);
    expect(await store.read('b')).toBe(marker('b'));
    expect(await store.read('a')).toBe(result('a', 40));
    await store.remove('a');
    expect(store.heldEvictableBytes).toBe(40);
    await store.put('c', 'a plain value', 60); // no longer evictable
    expect(store.heldEvictableBytes).toBe(0);
    await putResult(store, 'd', 30, 5);
    now += 5_000;
    expect(await store.read('d')).toBeNull();
    expect(store.heldEvictableBytes).toBe(0);
  });

  it('counts results put as bytes by their byte length', async () => {
    const store = new MemoryStore({ now: () => 1_000_000, maxEvictableBytes: 100 });
    const bytes = (n: number) => new TextEncoder().encode('x'.repeat(n));
    await store.put('a', bytes(60), 60, { evictable: true, replacement: marker('a') });
    expect(store.heldEvictableBytes).toBe(60);
    await store.put('b', bytes(60), 60, { evictable: true, replacement: marker('b') });
    expect(await store.read('a')).toBe(marker('a'));
    expect(await store.read('b')).toBe('x'.repeat(60));
    expect(store.heldEvictableBytes).toBe(60);
  });

  it('a result larger than the whole cap is kept only as its marker (0 keeps none)', async () => {
    const store = new MemoryStore({ now: () => 1_000_000, maxEvictableBytes: 0 });
    await putResult(store, 'big', 10);
    expect(await store.read('big')).toBe(marker('big'));
    expect(store.heldEvictableBytes).toBe(0);
  });
});
