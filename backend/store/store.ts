// The shared counter/result store behind budgets, rate limits and idempotent results.
// Serverless deployments run many instances at once, so anything they must agree on lives
// behind this interface (memory for one instance, Redis over TCP or Upstash REST for many).
//
// Money and counts are INTEGERS (USD as micro-dollars) so Redis INCRBY is exact; every write
// carries a TTL so nothing lives forever. Web-standard code only: this module runs on Workers.

export interface Store {
  /**
   * Atomically add `amount` (≥ 0) to counter `key` only if the result stays ≤ `limit`. Sets the TTL when the key is created. `value` is the counter after the call (unchanged when refused).
   * With `hold`, the same atomic step records the amount in the hold's lease index (see Hold).
   */
  reserve(key: string, amount: number, limit: number, ttlSeconds: number, hold?: Hold): Promise<{ ok: boolean; value: number }>;
  /** Add (possibly negative) `amount`; creates with TTL; returns the new value. An existing key keeps its TTL. With `hold` (amount ≥ 0), recorded as in reserve. */
  add(key: string, amount: number, ttlSeconds: number, hold?: Hold): Promise<number>;
  /**
   * Ends the hold of `amount` on `key` made by reserve/add, atomically: when it is still in its
   * index it goes and `change.ifHeld` is added to `key`; when an instance already released it
   * (it expired), `change.ifReleased` is added instead. True when it was still held. A negative
   * change never creates a counter that has gone.
   */
  endHold(key: string, amount: number, hold: Hold, change: { ifHeld: number; ifReleased: number }, ttlSeconds: number): Promise<boolean>;
  /**
   * Releases the holds in lease index `index` that expired by `now` (ms): each goes and its amount
   * is taken off its counter (a counter that has gone stays gone). Returns how many went.
   */
  releaseExpired(index: string, now: number): Promise<number>;
  /** Replaces the string at `key` with `value` (null deletes it) only if it is exactly `expected`; true when it did. */
  compareAndSet(key: string, expected: string, value: string | null, ttlSeconds: number): Promise<boolean>;
  /** Counter value (0 when absent). */
  get(key: string): Promise<number>;
  /** Counter values in the order of `keys` (0 when absent). */
  getMany(keys: string[]): Promise<number[]>;
  /** String values (JSON results up to tens of MB): set only if absent → true when set. */
  putIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Set (or replace) a string value and its TTL; bytes are its UTF-8 (what large results are written as). */
  put(key: string, value: string | Uint8Array, ttlSeconds: number, options?: PutOptions): Promise<void>;
  /** String value (bytes put are read back as UTF-8 text), or null when absent or expired. */
  read(key: string): Promise<string | null>;
  remove(key: string): Promise<void>;
  /** Releases connections; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * A lease on counter amounts: a reservation whose instance dies must not keep budget forever.
 * Each held amount is one member of a per-token index (a sorted set scored by expiry in Redis),
 * naming its counter and amount, so any instance can give it back once it has expired.
 */
export interface Hold {
  /** the lease index key (storeKeys.leases) */
  index: string;
  /** random, one per reservation (no ':'); with the counter and amount it names one held amount */
  id: string;
  /** ms since the epoch after which any instance may release it */
  expiresAt: number;
}

/** How a held amount is written in its index: `{id}:{amount}:{counter key}` (the key last: it may hold ':'). */
export function holdMember(hold: Hold, amount: number, fullKey: string): string {
  if (hold.id.includes(':')) throw new RangeError('store: a hold id must not contain ":"');
  checkInteger('amount', amount);
  return `${hold.id}:${amount}:${fullKey}`;
}

/** The counter key and amount of an index member, or null when it is not one. */
export function parseHoldMember(member: string): { key: string; amount: number } | null {
  const match = /^[^:]+:(-?\d+):(.+)$/s.exec(member);
  return match ? { amount: Number(match[1]), key: match[2]! } : null;
}

export interface PutOptions {
  /**
   * The value may go before its TTL to bound memory: an in-memory store over its cap drops the
   * oldest such values first (memory-store.ts). Shared stores keep it; their memory is bounded
   * by their own eviction policy. Only idempotent results are put this way — counters and
   * claims never are.
   */
  evictable?: boolean;
  /** kept in place of an evicted value until the same expiry (a small marker); without one the key goes */
  replacement?: string;
  /** whose value it is (a token name): an in-memory store also caps each group's evictable bytes */
  group?: string;
}

export interface StoreOptions {
  /** Prepended to every key, so deployments (or tests) can share one Redis without collisions. */
  prefix?: string;
}

/** Integers only: a fractional amount would be truncated by Redis and drift from memory. */
export function checkInteger(name: string, n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`store: ${name} must be a safe integer, got ${n}`);
}

/** Redis refuses EX 0 and negative TTLs; refuse them everywhere so every store behaves the same. */
export function checkTtl(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`store: ttlSeconds must be a whole number ≥ 1, got ${ttlSeconds}`);
  }
}

export function checkReserve(amount: number, limit: number, ttlSeconds: number): void {
  checkInteger('amount', amount);
  // Refunds go through add(); a negative reservation would let a caller bypass the limit check.
  if (amount < 0) throw new RangeError(`store: reserve amount must be ≥ 0, got ${amount}`);
  checkInteger('limit', limit);
  checkTtl(ttlSeconds);
}

export function checkEndHold(change: { ifHeld: number; ifReleased: number }, ttlSeconds: number): void {
  checkInteger('ifHeld', change.ifHeld);
  checkInteger('ifReleased', change.ifReleased);
  checkTtl(ttlSeconds);
}

/** Parses a stored counter the way Redis INCRBY would read it; anything else is a caller bug. */
export function parseCounter(key: string, raw: string | number | null | undefined): number {
  if (raw === null || raw === undefined) return 0;
  if (typeof raw === 'number') return raw;
  const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw new TypeError(`store: ${key} does not hold an integer counter`);
  return n;
}
