// Store on Redis over TCP (Node only: ioredis). Many instances pointed at one Redis share one
// view of budgets and rate limits. Only this module may import ioredis; from-env.ts loads it
// with a dynamic import so Workers bundles never pull it in.
import { Redis } from 'ioredis';
import { StoreError } from '../errors';
import { ADD_SCRIPT, COMPARE_AND_SET_SCRIPT, END_HOLD_SCRIPT, RELEASE_EXPIRED_SCRIPT, RESERVE_SCRIPT, holdParts, parseReserveReply } from './scripts';
import { checkEndHold, checkInteger, checkReserve, checkTtl, holdMember, parseCounter, type Hold, type Store, type StoreOptions } from './store';

export interface RedisStoreOptions extends StoreOptions {
  /** redis:// or rediss:// URL (user, password and db number included) */
  url: string;
}

// defineCommand adds these methods at run time; ioredis sends EVALSHA and falls back to EVAL
// (loading the script) on NOSCRIPT, e.g. after a Redis restart. Defined without a fixed key
// count (reserve and add take a lease index or not), so each call passes its number of keys first.
const SCRIPTS = {
  framefillReserve: RESERVE_SCRIPT,
  framefillAdd: ADD_SCRIPT,
  framefillEndHold: END_HOLD_SCRIPT,
  framefillReleaseExpired: RELEASE_EXPIRED_SCRIPT,
  framefillCompareAndSet: COMPARE_AND_SET_SCRIPT,
};
type ScriptName = keyof typeof SCRIPTS;
type ScriptedRedis = Redis & Record<ScriptName, (numberOfKeys: number, ...keysThenArgs: string[]) => Promise<unknown>>;

export class RedisStore implements Store {
  private readonly client: ScriptedRedis;
  private readonly prefix: string;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.prefix ?? '';
    const client = new Redis(options.url, {
      // Budgets sit on the request path: fail a request quickly rather than queue it for the
      // default 20 reconnection attempts while the user waits.
      maxRetriesPerRequest: 2,
      connectTimeout: 5_000,
    });
    // Failures reach callers as rejected commands; without a listener ioredis would also print
    // every reconnection error to stderr.
    client.on('error', () => {});
    for (const [name, lua] of Object.entries(SCRIPTS)) client.defineCommand(name, { lua });
    this.client = client as ScriptedRedis;
  }

  async reserve(key: string, amount: number, limit: number, ttlSeconds: number, hold?: Hold): Promise<{ ok: boolean; value: number }> {
    checkReserve(amount, limit, ttlSeconds);
    const k = this.prefix + key;
    const held = holdParts(this.prefix, hold, amount, k);
    return parseReserveReply(await this.script('framefillReserve', [k, ...held.keys], [amount, limit, ttlSeconds, ...held.args]));
  }

  async add(key: string, amount: number, ttlSeconds: number, hold?: Hold): Promise<number> {
    checkInteger('amount', amount);
    checkTtl(ttlSeconds);
    const k = this.prefix + key;
    const held = holdParts(this.prefix, hold, amount, k);
    return Number(await this.script('framefillAdd', [k, ...held.keys], [amount, ttlSeconds, ...held.args]));
  }

  async endHold(key: string, amount: number, hold: Hold, change: { ifHeld: number; ifReleased: number }, ttlSeconds: number): Promise<boolean> {
    checkEndHold(change, ttlSeconds);
    const k = this.prefix + key;
    const reply = await this.script('framefillEndHold', [this.prefix + hold.index, k], [holdMember(hold, amount, k), change.ifHeld, change.ifReleased, ttlSeconds]);
    return Number(reply) === 1;
  }

  async releaseExpired(index: string, now: number): Promise<number> {
    checkInteger('now', now);
    return Number(await this.script('framefillReleaseExpired', [this.prefix + index], [now]));
  }

  async compareAndSet(key: string, expected: string, value: string | null, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    const reply = await this.script('framefillCompareAndSet', [this.prefix + key], [expected, ttlSeconds, ...(value === null ? [] : [value])]);
    return Number(reply) === 1;
  }

  async get(key: string): Promise<number> {
    const k = this.prefix + key;
    return parseCounter(k, await this.run('GET', () => this.client.get(k)));
  }

  async getMany(keys: string[]): Promise<number[]> {
    if (keys.length === 0) return []; // MGET with no keys is a Redis error
    const full = keys.map((key) => this.prefix + key);
    const values = await this.run('MGET', () => this.client.mget(full));
    return values.map((raw, i) => parseCounter(full[i]!, raw));
  }

  async putIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    return (await this.run('SET NX', () => this.client.set(this.prefix + key, value, 'EX', ttlSeconds, 'NX'))) === 'OK';
  }

  async put(key: string, value: string | Uint8Array, ttlSeconds: number): Promise<void> {
    checkTtl(ttlSeconds);
    const data = typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    await this.run('SET', () => this.client.set(this.prefix + key, data, 'EX', ttlSeconds));
  }

  async read(key: string): Promise<string | null> {
    return this.run('GET', () => this.client.get(this.prefix + key));
  }

  async remove(key: string): Promise<void> {
    await this.run('DEL', () => this.client.del(this.prefix + key));
  }

  private script(name: ScriptName, keys: string[], args: Array<string | number>): Promise<unknown> {
    return this.run(name, () => this.client[name](keys.length, ...keys, ...args.map(String)));
  }

  /** A failed command (connection down, Redis error) is a StoreError carrying ioredis's error as its cause. */
  private async run<T>(command: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw new StoreError(`store: Redis ${command} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    // QUIT lets replies in flight arrive; a connection that never came up is just dropped.
    if (this.client.status === 'ready') {
      await this.client.quit();
    } else {
      this.client.disconnect();
    }
  }
}
