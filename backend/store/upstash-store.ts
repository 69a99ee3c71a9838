// Store on Redis over Upstash's REST protocol, for platforms without TCP sockets (Cloudflare
// Workers, Vercel Edge). Written by hand on fetch because the protocol is tiny: POST a JSON array
// command (["SET","k","v","EX",60]) to the database URL with `Authorization: Bearer <token>`;
// the answer is {"result": …} or {"error": "…"}. Web-standard APIs only.
//
// Result size: Upstash caps request and record sizes per plan (10 MB request on the free tier at
// the time of writing), so very large results need a paid plan or the TCP store.
import { StoreError } from '../errors';
import { ADD_SCRIPT, COMPARE_AND_SET_SCRIPT, END_HOLD_SCRIPT, RELEASE_EXPIRED_SCRIPT, RESERVE_SCRIPT, holdParts, parseReserveReply } from './scripts';
import { checkEndHold, checkInteger, checkReserve, checkTtl, holdMember, parseCounter, type Hold, type Store, type StoreOptions } from './store';

export interface UpstashStoreOptions extends StoreOptions {
  /** UPSTASH_REDIS_REST_URL, e.g. https://eu1-example-12345.upstash.io */
  url: string;
  /** UPSTASH_REDIS_REST_TOKEN (read-write); only ever sent in the Authorization header */
  token: string;
  /** defaults to the global fetch */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** per command, default 10 s: budgets sit on the request path, a hung call must not hang it */
  timeoutMs?: number;
}

/** Redis (or Upstash) refused the command; `message` is Redis's own error text. */
export class UpstashCommandError extends StoreError {
  override name = 'UpstashCommandError';
}

type Arg = string | number;

// One SHA-1 per script text for the whole isolate, computed on first use (crypto.subtle is async).
const shaCache = new Map<string, Promise<string>>();
const utf8 = new TextDecoder();
function scriptSha(lua: string): Promise<string> {
  let sha = shaCache.get(lua);
  if (!sha) {
    sha = crypto.subtle.digest('SHA-1', new TextEncoder().encode(lua)).then((buf) =>
      Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join(''),
    );
    shaCache.set(lua, sha);
  }
  return sha;
}

export class UpstashStore implements Store {
  private readonly url: string;
  private readonly token: string;
  private readonly prefix: string;
  private readonly fetchFn: (input: string, init: RequestInit) => Promise<Response>;
  private readonly timeoutMs: number;

  constructor(options: UpstashStoreOptions) {
    this.url = options.url;
    this.token = options.token;
    this.prefix = options.prefix ?? '';
    // Wrapped rather than stored: Workers throw "Illegal invocation" when fetch is called
    // detached from the global object.
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async reserve(key: string, amount: number, limit: number, ttlSeconds: number, hold?: Hold): Promise<{ ok: boolean; value: number }> {
    checkReserve(amount, limit, ttlSeconds);
    const k = this.prefix + key;
    const held = holdParts(this.prefix, hold, amount, k);
    return parseReserveReply(await this.script(RESERVE_SCRIPT, [k, ...held.keys], [amount, limit, ttlSeconds, ...held.args]));
  }

  async add(key: string, amount: number, ttlSeconds: number, hold?: Hold): Promise<number> {
    checkInteger('amount', amount);
    checkTtl(ttlSeconds);
    const k = this.prefix + key;
    const held = holdParts(this.prefix, hold, amount, k);
    return Number(await this.script(ADD_SCRIPT, [k, ...held.keys], [amount, ttlSeconds, ...held.args]));
  }

  async endHold(key: string, amount: number, hold: Hold, change: { ifHeld: number; ifReleased: number }, ttlSeconds: number): Promise<boolean> {
    checkEndHold(change, ttlSeconds);
    const k = this.prefix + key;
    return Number(await this.script(END_HOLD_SCRIPT, [this.prefix + hold.index, k], [holdMember(hold, amount, k), change.ifHeld, change.ifReleased, ttlSeconds])) === 1;
  }

  async releaseExpired(index: string, now: number): Promise<number> {
    checkInteger('now', now);
    return Number(await this.script(RELEASE_EXPIRED_SCRIPT, [this.prefix + index], [now]));
  }

  async compareAndSet(key: string, expected: string, value: string | null, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    return Number(await this.script(COMPARE_AND_SET_SCRIPT, [this.prefix + key], [expected, ttlSeconds, ...(value === null ? [] : [value])])) === 1;
  }

  async get(key: string): Promise<number> {
    const k = this.prefix + key;
    return parseCounter(k, (await this.command(['GET', k])) as string | null);
  }

  async getMany(keys: string[]): Promise<number[]> {
    if (keys.length === 0) return []; // MGET with no keys is a Redis error
    const full = keys.map((key) => this.prefix + key);
    const values = await this.command(['MGET', ...full]);
    if (!Array.isArray(values) || values.length !== full.length) throw new StoreError('store: unexpected MGET reply from Upstash');
    return values.map((raw, i) => parseCounter(full[i]!, raw as string | null));
  }

  async putIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    checkTtl(ttlSeconds);
    return (await this.command(['SET', this.prefix + key, value, 'EX', ttlSeconds, 'NX'])) === 'OK';
  }

  async put(key: string, value: string | Uint8Array, ttlSeconds: number): Promise<void> {
    checkTtl(ttlSeconds);
    // The REST API takes JSON: bytes go as their text.
    await this.command(['SET', this.prefix + key, typeof value === 'string' ? value : utf8.decode(value), 'EX', ttlSeconds]);
  }

  async read(key: string): Promise<string | null> {
    const value = await this.command(['GET', this.prefix + key]);
    return value === null ? null : String(value);
  }

  async remove(key: string): Promise<void> {
    await this.command(['DEL', this.prefix + key]);
  }

  async close(): Promise<void> {
    // Stateless HTTP: nothing to release.
  }

  /** EVALSHA saves sending the script each call; NOSCRIPT (cache flushed, new server) → EVAL. */
  private async script(lua: string, keys: string[], args: Arg[]): Promise<unknown> {
    const sha = await scriptSha(lua);
    try {
      return await this.command(['EVALSHA', sha, keys.length, ...keys, ...args]);
    } catch (err) {
      if (!(err instanceof UpstashCommandError) || !err.message.includes('NOSCRIPT')) throw err;
      return this.command(['EVAL', lua, keys.length, ...keys, ...args]);
    }
  }

  private async command(args: Arg[]): Promise<unknown> {
    const name = String(args[0]);
    let response: Response;
    try {
      response = await this.fetchFn(this.url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(args),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new StoreError(`store: Upstash ${name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw new StoreError(`store: Upstash ${name} answered HTTP ${response.status} without a JSON body`, { cause: err });
    }
    if (body !== null && typeof body === 'object') {
      const { error, result } = body as { error?: unknown; result?: unknown };
      if (typeof error === 'string') {
        // 401/403 come back as {error} too; say which setting to check.
        const hint = response.status === 401 || response.status === 403 ? ' (check UPSTASH_REDIS_REST_TOKEN)' : '';
        throw new UpstashCommandError(`store: Upstash ${name}: ${error}${hint}`);
      }
      if (response.ok && 'result' in body) return result;
    }
    throw new StoreError(`store: Upstash ${name} answered HTTP ${response.status} with an unexpected body`);
  }
}
