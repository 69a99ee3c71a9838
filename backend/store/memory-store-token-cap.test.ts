import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store';

const TTL = 3_600;
const value = (n: number) => 'x'.repeat(n);
const put = (store: MemoryStore, key: string, group: string, size: number) =>
  store.put(key, value(size), TTL, { evictable: true, replacement: `evicted:${key}`, group });

describe('MemoryStore per-group (per-token) cap on evictable results', () => {
  it("drops one token's oldest results beyond its share, leaving everyone else's", async () => {
    const store = new MemoryStore({ maxEvictableBytes: 1_000, maxEvictableBytesPerGroup: 250 });
    await put(store, 'result:alice:1', 'alice', 200);
    await put(store, 'result:bob:1', 'bob', 100);
    for (let i = 1; i <= 10; i++) await put(store, `result:bob:${i + 1}`, 'bob', 100);
    // alice's result is untouched although bob wrote 1,100 characters (over the instance cap alone).
    expect(await store.read('result:alice:1')).toBe(value(200));
    // bob keeps his newest two (200 ≤ 250), his older ones are markers.
    expect(await store.read('result:bob:11')).toBe(value(100));
    expect(await store.read('result:bob:10')).toBe(value(100));
    expect(await store.read('result:bob:9')).toBe('evicted:result:bob:9');
    expect(await store.read('result:bob:1')).toBe('evicted:result:bob:1');
    expect(store.heldEvictableBytes).toBe(400);
  });

  it('defaults to half the instance cap, and still honours the instance cap across tokens', async () => {
    const store = new MemoryStore({ maxEvictableBytes: 400 });
    for (let i = 1; i <= 3; i++) await put(store, `result:a:${i}`, 'a', 100);
    expect(await store.read('result:a:1')).toBe('evicted:result:a:1');
    expect(await store.read('result:a:2')).toBe(value(100));
    for (const name of ['b', 'c', 'd']) await put(store, `result:${name}:1`, name, 100);
    expect(store.heldEvictableBytes).toBe(400);
    expect(await store.read('result:a:2')).toBe('evicted:result:a:2'); // oldest overall
    expect(await store.read('result:d:1')).toBe(value(100));
  });

  it('counts a rewritten or removed result out of its group', async () => {
    const store = new MemoryStore({ maxEvictableBytes: 1_000, maxEvictableBytesPerGroup: 250 });
    await put(store, 'result:a:1', 'a', 200);
    await store.remove('result:a:1');
    await put(store, 'result:a:2', 'a', 200);
    expect(await store.read('result:a:2')).toBe(value(200));
  });
});
