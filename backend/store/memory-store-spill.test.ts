// The memory store with a spill area: a result its memory cap pushes out is kept there (read back
// whole) instead of dropped to its marker, within the area's own cap; nothing is left behind.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store';
import type { SpillArea } from './spill-area';

const TTL = 3_600;
const value = (n: number, fill = 'x') => fill.repeat(n);
const utf8 = new TextEncoder();

/** A spill area in a Map; writes can be held back or made to fail. */
function mapSpill() {
  const files = new Map<string, Uint8Array>();
  let held: (() => void)[] | null = null;
  let failing = false;
  let closed = false;
  const area: SpillArea = {
    async write(id, v) {
      if (held) await new Promise<void>((resolve) => held!.push(resolve));
      if (failing) return false;
      files.set(id, typeof v === 'string' ? utf8.encode(v) : v.slice());
      return true;
    },
    async read(id) {
      return files.get(id) ?? null;
    },
    async remove(id) {
      files.delete(id);
    },
    async close() {
      files.clear();
      closed = true;
    },
  };
  return {
    area,
    files,
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const resolve of waiting) resolve();
    },
    fail: () => (failing = true),
    closed: () => closed,
  };
}

const put = (store: MemoryStore, key: string, size: number, fill = 'x') => store.put(key, value(size, fill), TTL, { evictable: true, replacement: `evicted:${key}`, group: 'alice' });
/** lets the area's writes land */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MemoryStore with a spill area', () => {
  it('keeps every result a full memory cap pushes out, read back whole, memory within its cap', async () => {
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 300, maxEvictableBytesPerGroup: 300, spill: spill.area });
    for (let i = 1; i <= 10; i++) await put(store, `result:${i}`, 100, String(i % 10));
    await settle();
    for (let i = 1; i <= 10; i++) expect(await store.read(`result:${i}`)).toBe(value(100, String(i % 10)));
    expect(store.heldEvictableBytes).toBe(300);
    expect(spill.files.size).toBe(7);
  });

  it('drops the oldest spilled results to their markers beyond the area cap, and their files', async () => {
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 100, maxEvictableBytesPerGroup: 100, spill: spill.area, maxSpillBytes: 250 });
    for (let i = 1; i <= 5; i++) await put(store, `result:${i}`, 100);
    await settle();
    expect(await store.read('result:1')).toBe('evicted:result:1');
    expect(await store.read('result:2')).toBe('evicted:result:2');
    expect(await store.read('result:3')).toBe(value(100));
    expect(await store.read('result:4')).toBe(value(100));
    expect(await store.read('result:5')).toBe(value(100)); // still in memory
    expect(spill.files.size).toBe(2);
  });

  it('answers from memory while the write is under way', async () => {
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 100, maxEvictableBytesPerGroup: 100, spill: spill.area });
    spill.hold();
    await put(store, 'result:1', 100, 'a');
    await put(store, 'result:2', 100, 'b');
    expect(await store.read('result:1')).toBe(value(100, 'a'));
    spill.release();
    await settle();
    expect(spill.files.size).toBe(1);
    expect(await store.read('result:1')).toBe(value(100, 'a'));
  });

  it('leaves the marker when the area cannot take it (a full disk)', async () => {
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 100, maxEvictableBytesPerGroup: 100, spill: spill.area });
    spill.fail();
    await put(store, 'result:1', 100);
    await put(store, 'result:2', 100);
    await settle();
    expect(await store.read('result:1')).toBe('evicted:result:1');
    expect(spill.files.size).toBe(0);
  });

  it('removes a spilled file when its result is deleted, rewritten or expires, and everything on close', async () => {
    let now = 1_000_000;
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 100, maxEvictableBytesPerGroup: 100, spill: spill.area, now: () => now });
    for (let i = 1; i <= 4; i++) await put(store, `result:${i}`, 100);
    await settle();
    expect(spill.files.size).toBe(3);
    await store.remove('result:1');
    await store.put('result:2', 'small', TTL);
    await settle();
    expect(spill.files.size).toBe(1);
    expect(await store.read('result:2')).toBe('small');
    now += (TTL + 1) * 1000;
    expect(await store.read('result:3')).toBeNull();
    await settle();
    expect(spill.files.size).toBe(0);
    await put(store, 'result:5', 100);
    await put(store, 'result:6', 100);
    await store.close();
    expect(spill.closed()).toBe(true);
    expect(spill.files.size).toBe(0);
  });

  it('a result rewritten while its spill write is under way leaves no file behind', async () => {
    const spill = mapSpill();
    const store = new MemoryStore({ maxEvictableBytes: 100, maxEvictableBytesPerGroup: 100, spill: spill.area });
    spill.hold();
    await put(store, 'result:1', 100, 'a');
    await put(store, 'result:2', 100, 'b'); // result:1 is being written
    await store.put('result:1', 'replaced', TTL);
    spill.release();
    await settle();
    await settle();
    expect(await store.read('result:1')).toBe('replaced');
    expect(spill.files.size).toBe(0);
  });
});
