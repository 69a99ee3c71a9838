// In-memory Store: the default for a single Node instance (lost on restart, not shared).
// JS runs one callback at a time and no method awaits mid-update, so reserve is atomic as is.
//
// Expiry is lazy (an expired entry is dropped when touched) plus a bounded sweep: every write
// also inspects the next few entries of a long-lived Map iterator, so keys that are never read
// again still go away and memory tracks the live set rather than everything ever written.
//
// Values put as `evictable` (idempotent results: megabytes of base64 each) are capped in total
// (maxEvictableBytes, FRAMEFILL_MEMORY_RESULT_BYTES): beyond it the oldest go first, each
// replaced by its small `replacement` (a not_retained marker) until its own expiry. Values put with a
// `group` (the token whose result it is) are also capped per group (maxEvictableBytesPerGroup,
// FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN), that group's oldest going first, so one token's
// results cannot push out everyone else's. Counters,
// claims and cancel flags are never evicted — a budget must not reset because images were big.
// Results arrive as bytes (retained-results.ts) and are held as bytes, off the JS heap, and
// decoded only when read back. With a spill area (Node: a private temp directory), a result
// pushed out of memory is written there instead of dropped, within its own cap (maxSpillBytes,
// FRAMEFILL_RESULT_SPILL_BYTES), oldest dropped first; only beyond that does the marker take its
// place. Until its write lands, the value stays in memory, so a read never misses it.
import type { SpillArea } from './spill-area';
import {
  checkEndHold, checkInteger, checkReserve, checkTtl, holdMember, parseCounter, parseHoldMember, type Hold, type PutOptions, type Store, type StoreOptions,
} from './store';

/** Default cap on the evictable values a MemoryStore holds (characters; results are ASCII JSON, so bytes). */
export const DEFAULT_MAX_EVICTABLE_BYTES = 64 * 1024 * 1024;

/** Default cap on one group's evictable values: half the whole, so one token can never push out more than half of the others'. */
export function defaultGroupCap(maxEvictableBytes: number): number {
  return Math.floor(maxEvictableBytes / 2);
}

const utf8 = new TextDecoder();
const textOf = <T>(value: T | Uint8Array): T | string => (value instanceof Uint8Array ? utf8.decode(value) : value);
/** What a value counts against the cap: bytes, or characters (one byte each for the ASCII JSON results are). */
const sizeOf = (value: number | string | Uint8Array) => (typeof value === 'number' ? 0 : typeof value === 'string' ? value.length : value.byteLength);

export interface MemoryStoreOptions extends StoreOptions {
  /** Milliseconds since the epoch; injectable so tests can move time without waiting. */
  now?: () => number;
  /** Entries inspected per write by the sweep (default 4; must be ≥ 2 to outpace inserts). */
  sweepPerWrite?: number;
  /** Most characters of evictable values held at once (default 64 MiB; 0 keeps only their replacements). */
  maxEvictableBytes?: number;
  /** Most characters of evictable values of one group (PutOptions.group) held at once (default: defaultGroupCap). */
  maxEvictableBytesPerGroup?: number;
  /** Where evicted values go instead of being dropped (the store closes it); none: they are dropped. */
  spill?: SpillArea;
  /** Most bytes held in the spill area (default DEFAULT_MAX_SPILL_BYTES). */
  maxSpillBytes?: number;
}

/** Default cap on the spill area: about 700 full-size PNG results. */
export const DEFAULT_MAX_SPILL_BYTES = 2 * 1024 * 1024 * 1024;

interface Entry {
  /** bytes: a string put as its UTF-8 (large results), read back as text */
  value: number | string | Uint8Array;
  /** ms since the epoch; every entry has one because every write takes a TTL */
  expiresAt: number;
  /** evictable entries: what takes the value's place when it is evicted ('' = nothing, the key goes) */
  replacement?: string;
  /** evictable entries: whose value it is (PutOptions.group) */
  group?: string;
  /** an evicted value in the spill area under `id` (`value` is '' once `written`) */
  spilled?: { id: string; bytes: number; written: boolean };
}

/** One group's evictable entries, oldest write first, and their characters. */
interface Group {
  keys: Set<string>;
  bytes: number;
}

export class MemoryStore implements Store {
  private readonly entries = new Map<string, Entry>();
  // Map iterators stay valid while the Map changes (deleted entries are skipped, new ones are
  // visited), so one iterator can walk the Map a little at a time across calls.
  private cursor: Iterator<[string, Entry]> = this.entries.entries();
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly sweepPerWrite: number;
  private readonly maxEvictableBytes: number;
  /** keys of evictable entries, oldest write first (a Set keeps insertion order) */
  private readonly evictable = new Set<string>();
  private evictableBytes = 0;
  /** lease indexes (full key → member → expiry ms); a member goes when its hold ends or is released */
  private readonly leases = new Map<string, Map<string, number>>();
  private readonly maxEvictableBytesPerGroup: number;
  private readonly groups = new Map<string, Group>();
  private readonly spill: SpillArea | undefined;
  private readonly maxSpillBytes: number;
  /** keys of spilled entries, oldest spill first */
  private readonly spilledKeys = new Set<string>();
  private spillBytes = 0;
  /** spill writes and removals under way (close waits for them) */
  private readonly spillWork = new Set<Promise<unknown>>();

  constructor(options: MemoryStoreOptions = {}) {
    this.prefix = options.prefix ?? '';
    this.now = options.now ?? Date.now;
    this.sweepPerWrite = Math.max(2, Math.floor(options.sweepPerWrite ?? 4));
    this.maxEvictableBytes = options.maxEvictableBytes ?? DEFAULT_MAX_EVICTABLE_BYTES;
    if (!Number.isSafeInteger(this.maxEvictableBytes) || this.maxEvictableBytes < 0) {
      throw new RangeError(`store: maxEvictableBytes must be a whole number ≥ 0, got ${this.maxEvictableBytes}`);
    }
    this.maxEvictableBytesPerGroup = options.maxEvictableBytesPerGroup ?? defaultGroupCap(this.maxEvictableBytes);
    if (!Number.isSafeInteger(this.maxEvictableBytesPerGroup) || this.maxEvictableBytesPerGroup < 0) {
      throw new RangeError(`store: maxEvictableBytesPerGroup must be a whole number ≥ 0, got ${this.maxEvictableBytesPerGroup}`);
    }
    this.spill = options.spill;
    this.maxSpillBytes = options.maxSpillBytes ?? DEFAULT_MAX_SPILL_BYTES;
    if (!Number.isSafeInteger(this.maxSpillBytes) || this.maxSpillBytes < 0) {
      throw new RangeError(`store: maxSpillBytes must be a whole number ≥ 0, got ${this.maxSpillBytes}`);
    }
  }

  /** Entries held, expired ones not yet swept included (what memory use follows). */
  get size(): number {
    return this.entries.size;
  }

  /** Characters of evictable values held (at most maxEvictableBytes after every write). */
  get heldEvictableBytes(): number {
    return this.evictableBytes;
  }

  async reserve(key: string, amount: number, limit: number, ttlSeconds: number, hold?: Hold): Promise<{ ok: boolean; value: number }> {
    checkReserve(amount, limit, ttlSeconds);
    const k = this.prefix + key;
    const current = this.counter(k);
    if (current + amount > limit) return { ok: false, value: current };
    const value = this.increment(k, amount, ttlSeconds);
    if (hold) this.recordHold(hold, amount, k);
    return { ok: true, value };
  }

  async add(key: string, amount: number, ttlSeconds: number, hold?: Hold): Promise<number> {
    checkInteger('amount', amount);
    checkTtl(ttlSeconds);
    const value = this.increment(this.prefix + key, amount, ttlSeconds);
    if (hold) this.recordHold(hold, amount, this.prefix + key);
    return value;
  }

  async endHold(key: string, amount: number, hold: Hold, change: { ifHeld: number; ifReleased: number }, ttlSeconds: number): Promise<boolean> {
    checkEndHold(change, ttlSeconds);
    const k = this.prefix + key;
    const held = this.dropHold(this.prefix + hold.index, holdMember(hold, amount, k));
    const delta = held ? change.ifHeld : change.ifReleased;
    // Like the Redis script: a negative change never recreates a counter that has gone.
    if (delta > 0 || (delta < 0 && this.live(k))) this.increment(k, delta, ttlSeconds);
    return held;
  }

  async releaseExpired(index: string, now: number): Promise<number> {
    checkInteger('now', now);
    const members = this.leases.get(this.prefix + index);
    if (!members) return 0;
    let released = 0;
    for (const [member, expiresAt] of members) {
      if (expiresAt > now) continue;
      this.dropHold(this.prefix + index, member);
      released++;
      const held = parseHoldMember(member);
      if (held && this.live(held.key)) this.increment(held.key, -held.amount, 1);
    }
    return released;
  }

  async compareAndSet(key: string, expected: string, value: string | null, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    const k = this.prefix + key;
    const entry = this.live(k);
    if (!entry || String(textOf(entry.value)) !== expected) return false;
    if (value === null) this.drop(k);
    else this.write(k, { value, expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async get(key: string): Promise<number> {
    return this.counter(this.prefix + key);
  }

  async getMany(keys: string[]): Promise<number[]> {
    return keys.map((key) => this.counter(this.prefix + key));
  }

  async putIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    const k = this.prefix + key;
    if (this.live(k)) return false;
    this.write(k, { value, expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async put(key: string, value: string | Uint8Array, ttlSeconds: number, options: PutOptions = {}): Promise<void> {
    checkTtl(ttlSeconds);
    const entry: Entry = { value, expiresAt: this.expiry(ttlSeconds) };
    if (options.evictable) entry.replacement = options.replacement ?? '';
    if (options.evictable && options.group !== undefined) entry.group = options.group;
    this.write(this.prefix + key, entry);
    if (options.evictable) {
      if (entry.group !== undefined) this.evictOldestOf(entry.group);
      this.evictOldest();
    }
  }

  async read(key: string): Promise<string | null> {
    const entry = this.live(this.prefix + key);
    if (!entry) return null;
    if (entry.spilled?.written) {
      const bytes = await this.spill!.read(entry.spilled.id);
      // Gone from the area (removed by hand, a disk error): what eviction would have left.
      return bytes ? utf8.decode(bytes) : (entry.replacement ?? null);
    }
    // Redis GET returns a counter as its decimal string, and bytes as their text; do the same.
    return String(textOf(entry.value));
  }

  async remove(key: string): Promise<void> {
    this.drop(this.prefix + key);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.spillWork]);
    await this.spill?.close();
    this.spilledKeys.clear();
    this.spillBytes = 0;
    this.entries.clear();
    this.leases.clear();
    this.evictable.clear();
    this.evictableBytes = 0;
    this.groups.clear();
  }

  private recordHold(hold: Hold, amount: number, k: string): void {
    const index = this.prefix + hold.index;
    let members = this.leases.get(index);
    if (!members) this.leases.set(index, (members = new Map()));
    members.set(holdMember(hold, amount, k), hold.expiresAt);
  }

  /** Takes a member out of its index (the index goes with its last member); true when it was there. */
  private dropHold(index: string, member: string): boolean {
    const members = this.leases.get(index);
    if (!members?.delete(member)) return false;
    if (members.size === 0) this.leases.delete(index);
    return true;
  }

  private counter(k: string): number {
    return parseCounter(k, textOf(this.live(k)?.value));
  }

  private increment(k: string, amount: number, ttlSeconds: number): number {
    const entry = this.live(k);
    const value = parseCounter(k, textOf(entry?.value)) + amount;
    if (!Number.isSafeInteger(value)) throw new RangeError(`store: ${k} would overflow`);
    // An existing counter keeps its expiry: a window or month must not be stretched by traffic.
    this.write(k, { value, expiresAt: entry?.expiresAt ?? this.expiry(ttlSeconds) });
    return value;
  }

  private expiry(ttlSeconds: number): number {
    return this.now() + ttlSeconds * 1000;
  }

  private live(k: string): Entry | undefined {
    const entry = this.entries.get(k);
    if (entry && this.now() >= entry.expiresAt) {
      this.drop(k);
      return undefined;
    }
    return entry;
  }

  private write(k: string, entry: Entry): void {
    this.forget(k);
    this.entries.set(k, entry);
    if (entry.replacement !== undefined) {
      // Re-added, so a rewritten value counts as the newest.
      this.evictable.add(k);
      this.evictableBytes += sizeOf(entry.value);
      if (entry.group !== undefined) {
        const group = this.groups.get(entry.group) ?? { keys: new Set<string>(), bytes: 0 };
        this.groups.set(entry.group, group);
        group.keys.add(k);
        group.bytes += sizeOf(entry.value);
      }
    }
    this.sweep();
  }

  /** Deletes an entry, keeping the evictable accounting right (every deletion goes through here). */
  private drop(k: string): void {
    this.forget(k);
    this.entries.delete(k);
  }

  /** Takes an entry out of the evictable and spill accounting (before it is replaced or deleted). */
  private forget(k: string): void {
    if (this.spilledKeys.delete(k)) {
      const spilled = this.entries.get(k)?.spilled;
      if (spilled) {
        this.spillBytes -= spilled.bytes;
        this.track(this.spill!.remove(spilled.id));
      }
    }
    if (!this.evictable.delete(k)) return;
    const entry = this.entries.get(k);
    const size = entry === undefined ? 0 : sizeOf(entry.value);
    this.evictableBytes -= size;
    const group = entry?.group === undefined ? undefined : this.groups.get(entry.group);
    if (group && group.keys.delete(k)) {
      group.bytes -= size;
      if (group.keys.size === 0) this.groups.delete(entry!.group!);
    }
  }

  /** Oldest evictable values out, replacements in, until the total is within the cap. */
  private evictOldest(): void {
    for (const k of this.evictable) {
      if (this.evictableBytes <= this.maxEvictableBytes) return;
      this.evict(k);
    }
  }

  /** The same within one group, against the per-group cap. */
  private evictOldestOf(name: string): void {
    const group = this.groups.get(name);
    if (!group) return;
    for (const k of group.keys) {
      if (group.bytes <= this.maxEvictableBytesPerGroup) return;
      this.evict(k);
    }
  }

  private evict(k: string): void {
    const entry = this.entries.get(k)!;
    this.forget(k);
    if (entry.replacement && this.spillOut(k, entry)) return;
    this.leaveMarker(k, entry);
  }

  /** What an evicted value leaves: its replacement until its own expiry, or nothing. */
  private leaveMarker(k: string, entry: Entry): void {
    if (entry.replacement) this.entries.set(k, { value: entry.replacement, expiresAt: entry.expiresAt });
    else this.entries.delete(k);
  }

  /** Moves an evicted value to the spill area (oldest spilled ones out beyond its cap); false when there is none or it cannot fit. */
  private spillOut(k: string, entry: Entry): boolean {
    const spill = this.spill;
    const bytes = sizeOf(entry.value);
    if (!spill || bytes > this.maxSpillBytes) return false;
    const id = crypto.randomUUID();
    const moved: Entry = { value: entry.value, expiresAt: entry.expiresAt, replacement: entry.replacement!, spilled: { id, bytes, written: false } };
    this.entries.set(k, moved);
    this.spilledKeys.add(k);
    this.spillBytes += bytes;
    for (const old of this.spilledKeys) {
      if (this.spillBytes <= this.maxSpillBytes) break;
      this.unspill(old);
    }
    const value = entry.value as string | Uint8Array;
    this.track(
      spill.write(id, value).then(
        (ok) => this.spillWritten(k, id, ok),
        () => this.spillWritten(k, id, false),
      ),
    );
    return true;
  }

  private spillWritten(k: string, id: string, ok: boolean): void {
    const entry = this.entries.get(k);
    if (entry?.spilled?.id !== id) {
      // Replaced, removed or expired while it was written: its file goes too.
      this.track(this.spill!.remove(id));
      return;
    }
    if (ok) {
      entry.spilled.written = true;
      entry.value = ''; // the bytes live in the area now
    } else {
      this.unspill(k);
    }
  }

  /** A spilled entry out of the area: its marker in its place. */
  private unspill(k: string): void {
    const entry = this.entries.get(k);
    if (!entry) return;
    this.forget(k);
    this.leaveMarker(k, entry);
  }

  private track(work: Promise<unknown>): void {
    const done = work.catch(() => {}).finally(() => this.spillWork.delete(done));
    this.spillWork.add(done);
  }

  private sweep(): void {
    const now = this.now();
    let restarted = false;
    for (let i = 0; i < this.sweepPerWrite; i++) {
      let next = this.cursor.next();
      if (next.done) {
        if (restarted) return; // walked the whole (small) Map already
        restarted = true;
        this.cursor = this.entries.entries();
        next = this.cursor.next();
        if (next.done) return;
      }
      const [k, entry] = next.value;
      if (now >= entry.expiresAt) this.drop(k);
    }
  }
}
