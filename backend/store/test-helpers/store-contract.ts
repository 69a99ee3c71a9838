// Test-only: the one behaviour contract every Store implementation must meet. Each
// implementation's test file runs it with a harness saying how to open a store and let time pass.
import { afterEach, expect, it } from 'vitest';
import type { Hold, Store } from '../store';

export interface ContractHarness {
  /** A store on the shared backend; separate calls model separate serverless instances. */
  open(): Store;
  /** Let `ms` pass: the injected clock for memory, real time for Redis. */
  pass(ms: number): Promise<void>;
}

export function storeContract(harness: ContractHarness): void {
  const opened: Store[] = [];
  const open = () => {
    const store = harness.open();
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  // Keys unique per test so tests never see each other's leftovers on a shared Redis.
  let n = 0;
  const key = (name: string) => `${name}:${++n}:${Math.random().toString(36).slice(2)}`;

  it('reserve admits up to the limit exactly, then refuses without changing the counter', async () => {
    const store = open();
    const k = key('budget');
    expect(await store.reserve(k, 400, 1_000, 60)).toEqual({ ok: true, value: 400 });
    expect(await store.reserve(k, 600, 1_000, 60)).toEqual({ ok: true, value: 1_000 }); // landing on the limit is allowed
    expect(await store.reserve(k, 1, 1_000, 60)).toEqual({ ok: false, value: 1_000 });
    expect(await store.reserve(k, 0, 1_000, 60)).toEqual({ ok: true, value: 1_000 });
    expect(await store.get(k)).toBe(1_000);

    const fresh = key('fresh');
    expect(await store.reserve(fresh, 5, 4, 60)).toEqual({ ok: false, value: 0 });
    expect(await store.read(fresh)).toBeNull(); // a refused reservation creates nothing
  });

  it('add counts up and down (refunds) and get reads 0 for absent counters', async () => {
    const store = open();
    const k = key('spend');
    expect(await store.get(k)).toBe(0);
    expect(await store.add(k, 5, 60)).toBe(5);
    expect(await store.add(k, -8, 60)).toBe(-3);
    expect(await store.get(k)).toBe(-3);
    // a refund makes room under the limit again
    const b = key('budget');
    await store.reserve(b, 10, 10, 60);
    await store.add(b, -4, 60);
    expect(await store.reserve(b, 4, 10, 60)).toEqual({ ok: true, value: 10 });
  });

  it('getMany returns values in key order with 0 for absent keys', async () => {
    const store = open();
    const [a, missing, b] = [key('a'), key('missing'), key('b')];
    await store.add(a, 7, 60);
    await store.add(b, 11, 60);
    expect(await store.getMany([a, missing, b])).toEqual([7, 0, 11]);
    expect(await store.getMany([])).toEqual([]);
  });

  it('putIfAbsent sets only once; put replaces; remove deletes', async () => {
    const store = open();
    const k = key('result');
    expect(await store.read(k)).toBeNull();
    expect(await store.putIfAbsent(k, 'first', 60)).toBe(true);
    expect(await store.putIfAbsent(k, 'second', 60)).toBe(false);
    expect(await store.read(k)).toBe('first');
    await store.put(k, 'replaced', 60);
    expect(await store.read(k)).toBe('replaced');
    await store.remove(k);
    expect(await store.read(k)).toBeNull();
    expect(await store.putIfAbsent(k, 'again', 60)).toBe(true);
    await store.remove(key('never-written')); // removing an absent key is fine
  });

  it('TTL is set on creation, not stretched by later writes, and expired keys are gone', async () => {
    const store = open();
    const [counter, reserved, once, plain, lasting] = [key('c'), key('r'), key('once'), key('plain'), key('lasting')];
    await store.add(counter, 1, 1);
    await store.reserve(reserved, 1, 10, 1);
    await store.putIfAbsent(once, 'v', 1);
    await store.put(plain, 'v', 1);
    await store.add(lasting, 1, 3_600);
    await harness.pass(600);
    // Later writes must keep the original expiry (else a busy window would never reset).
    expect(await store.add(counter, 1, 1)).toBe(2);
    expect(await store.reserve(reserved, 1, 10, 1)).toEqual({ ok: true, value: 2 });
    await harness.pass(600);
    expect(await store.getMany([counter, reserved, lasting])).toEqual([0, 0, 1]);
    expect(await store.read(once)).toBeNull();
    expect(await store.read(plain)).toBeNull();
    expect(await store.putIfAbsent(once, 'new', 60)).toBe(true);
    expect(await store.reserve(reserved, 3, 10, 60)).toEqual({ ok: true, value: 3 });
  });

  it('round-trips a 5 MB JSON result unchanged', async () => {
    const store = open();
    const k = key('big');
    const value = JSON.stringify({ b64_json: 'A'.repeat(5 * 1024 * 1024), note: 'quotes " \\ and ünïcødé ✓ 🎨' });
    expect(await store.putIfAbsent(k, value, 60)).toBe(true);
    const back = await store.read(k);
    expect(back?.length).toBe(value.length);
    expect(back === value).toBe(true); // not toBe: a failure would print 5 MB
  });

  it('reads a value put as UTF-8 bytes back as its text, evictable or not', async () => {
    const store = open();
    const [plain, evictable] = [key('bytes'), key('result')];
    const text = JSON.stringify({ b64_json: 'QUJD'.repeat(100_000), note: 'ünïcødé 🎨' });
    await store.put(plain, new TextEncoder().encode(text), 60);
    await store.put(evictable, new TextEncoder().encode(text).subarray(0), 60, { evictable: true, replacement: '{"marker":true}' });
    expect((await store.read(plain)) === text).toBe(true);
    expect((await store.read(evictable)) === text).toBe(true);
  });

  it('50 concurrent reservations from several instances never exceed the shared limit', async () => {
    const instances = Array.from({ length: 5 }, () => open());
    const k = key('concurrent');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => instances[i % instances.length]!.reserve(k, 3, 100, 60)),
    );
    const admitted = results.filter((r) => r.ok).map((r) => r.value).sort((x, y) => x - y);
    // 33 × 3 = 99 fits, a 34th would make 102; each admitted call saw its own increment.
    expect(admitted).toEqual(Array.from({ length: 33 }, (_, i) => (i + 1) * 3));
    expect(results.filter((r) => !r.ok).every((r) => r.value === 99)).toBe(true);
    expect(await instances[0]!.get(k)).toBe(99);
  });

  it('refuses fractional amounts and TTLs below one second', async () => {
    const store = open();
    const k = key('bad');
    await expect(store.reserve(k, 1.5, 10, 60)).rejects.toThrow(RangeError);
    await expect(store.reserve(k, -1, 10, 60)).rejects.toThrow(/≥ 0/);
    await expect(store.add(k, 1, 0)).rejects.toThrow(/ttlSeconds/);
    await expect(store.put(k, 'v', 0.5)).rejects.toThrow(/ttlSeconds/);
    expect(await store.get(k)).toBe(0);
  });

  it('a counter read of a string value is an error, not a silent number', async () => {
    const store = open();
    const k = key('text');
    await store.put(k, '{"not":"a counter"}', 60);
    await expect(store.get(k)).rejects.toThrow();
    await expect(store.add(k, 1, 60)).rejects.toThrow();
    await expect(store.reserve(k, 1, 10, 60)).rejects.toThrow();
    expect(await store.read(k)).toBe('{"not":"a counter"}');
  });

  // Leases (store.ts Hold): what a reservation leaves behind when its instance dies.
  const hold = (index: string, expiresAt: number): Hold => ({ index, id: crypto.randomUUID(), expiresAt });
  const T = 1_900_000_000_000; // holds compare with the `now` they are given, not the store's clock

  it('a held reservation is given back by releaseExpired once expired, by any instance, exactly once', async () => {
    const [mine, other] = [open(), open()];
    const [usd, img, index] = [key('usd'), key('img'), key('lease')];
    const h = hold(index, T + 10_000);
    expect(await mine.reserve(usd, 400, 1_000, 60, h)).toEqual({ ok: true, value: 400 });
    expect(await mine.add(img, 2, 60, h)).toBe(2);
    expect(await mine.reserve(usd, 700, 1_000, 60, hold(index, T))).toEqual({ ok: false, value: 400 }); // refused: no hold recorded
    expect(await other.releaseExpired(index, T + 9_999)).toBe(0); // not yet expired
    expect(await other.getMany([usd, img])).toEqual([400, 2]);
    expect(await other.releaseExpired(index, T + 10_000)).toBe(2);
    expect(await other.getMany([usd, img])).toEqual([0, 0]);
    expect(await mine.releaseExpired(index, T + 20_000)).toBe(0); // gone: never given back twice
    expect(await mine.getMany([usd, img])).toEqual([0, 0]);
  });

  it('endHold: still held → moves by ifHeld; released meanwhile → adds ifReleased (a slow instance reconciles)', async () => {
    const store = open();
    const [usd, index] = [key('usd'), key('lease')];
    const fast = hold(index, T + 5_000);
    const slow = hold(index, T + 5_000);
    await store.reserve(usd, 400, 1_000, 60, fast);
    await store.reserve(usd, 400, 1_000, 60, slow);
    expect(await store.endHold(usd, 400, fast, { ifHeld: 120 - 400, ifReleased: 120 }, 60)).toBe(true);
    expect(await store.get(usd)).toBe(520); // 120 spent + 400 still held by `slow`
    expect(await store.releaseExpired(index, T + 5_000)).toBe(1); // `slow`'s instance looks dead
    expect(await store.get(usd)).toBe(120);
    expect(await store.endHold(usd, 400, slow, { ifHeld: 90 - 400, ifReleased: 90 }, 60)).toBe(false); // …but it finished
    expect(await store.get(usd)).toBe(210);
    expect(await store.endHold(usd, 400, fast, { ifHeld: -400, ifReleased: 0 }, 60)).toBe(false); // a second end changes nothing
    expect(await store.get(usd)).toBe(210);
  });

  it('never creates a negative counter for a key that expired while it was held', async () => {
    const store = open();
    const [day, month, kept, index] = [key('day'), key('month'), key('kept'), key('lease')];
    const later = hold(index, T + 60_000);
    await store.reserve(day, 3, 10, 1, hold(index, T));
    await store.add(month, 2, 1, later);
    await store.add(kept, 5, 60, later); // keeps the index alive past the others
    await harness.pass(1_100);
    expect(await store.releaseExpired(index, T)).toBe(1);
    expect(await store.read(day)).toBeNull();
    expect(await store.endHold(month, 2, later, { ifHeld: -2, ifReleased: 0 }, 60)).toBe(true);
    expect(await store.read(month)).toBeNull();
    expect(await store.get(kept)).toBe(5);
  });

  it('compareAndSet replaces or deletes a value only when it is exactly the expected one', async () => {
    const store = open();
    const k = key('claim');
    expect(await store.compareAndSet(k, 'a', 'b', 60)).toBe(false); // absent
    expect(await store.read(k)).toBeNull();
    await store.put(k, 'a', 60);
    expect(await store.compareAndSet(k, 'x', 'b', 60)).toBe(false);
    expect(await store.compareAndSet(k, 'a', 'b', 60)).toBe(true);
    expect(await store.read(k)).toBe('b');
    expect(await store.compareAndSet(k, 'a', null, 60)).toBe(false);
    expect(await store.compareAndSet(k, 'b', null, 60)).toBe(true);
    expect(await store.read(k)).toBeNull();
  });
}
