// Environment → Store. Async because the Redis (TCP) store is loaded with a dynamic import:
// ioredis needs Node's net/tls, and a static import would drag it into Workers bundles. (A
// bundler still sees the literal import(); a Workers build should alias ./redis-store to a stub.)
//
// Environment variables:
//   FRAMEFILL_STORE            memory (default) | redis | upstash
//                              memory: one instance only; counters reset on restart.
//   REDIS_URL                  FRAMEFILL_STORE=redis: redis:// or rediss:// URL (Node only).
//   UPSTASH_REDIS_REST_URL     FRAMEFILL_STORE=upstash: the database's REST URL (https://…).
//   UPSTASH_REDIS_REST_TOKEN   FRAMEFILL_STORE=upstash: its read-write REST token.
//   (FRAMEFILL_MEMORY_RESULT_BYTES, the memory store's cap on results, is read with the rest of
//   the configuration in config/load-config.ts and handed in as `memoryResultBytes`.)
// A missing or malformed setting throws ConfigError with a one-line reason (never a secret),
// so the server refuses to start instead of silently counting per instance.
import { ConfigError } from '../errors';
import { MemoryStore } from './memory-store';
import type { SpillArea } from './spill-area';
import type { Store, StoreOptions } from './store';
import { UpstashStore } from './upstash-store';

const STORE_KINDS = ['memory', 'redis', 'upstash'] as const;

export interface StoreFromEnvOptions extends StoreOptions {
  /** the memory store's cap on results (config: FRAMEFILL_MEMORY_RESULT_BYTES); other stores ignore it */
  memoryResultBytes?: number;
  /** the memory store's cap on one token's results (FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN) */
  memoryResultBytesPerToken?: number;
  /** the memory store's spill area (Node: platform/disk-spill.ts), made only when the store is memory */
  spill?: { open: () => Promise<SpillArea>; maxBytes: number };
}

export async function createStoreFromEnv(env: Record<string, string | undefined>, options: StoreFromEnvOptions = {}): Promise<Store> {
  const { memoryResultBytes, memoryResultBytesPerToken, spill, ...storeOptions } = options;
  const kind = (env.FRAMEFILL_STORE ?? '').trim().toLowerCase() || 'memory';
  switch (kind) {
    case 'memory':
      return new MemoryStore({
        ...storeOptions,
        ...(memoryResultBytes === undefined ? {} : { maxEvictableBytes: memoryResultBytes }),
        ...(memoryResultBytesPerToken === undefined ? {} : { maxEvictableBytesPerGroup: memoryResultBytesPerToken }),
        ...(spill && spill.maxBytes > 0 ? { spill: await spill.open(), maxSpillBytes: spill.maxBytes } : {}),
      });
    case 'redis': {
      const url = env.REDIS_URL?.trim();
      if (!url) throw new ConfigError('FRAMEFILL_STORE=redis needs REDIS_URL (redis://[user:password@]host:port[/db])');
      if (!/^rediss?:\/\/[^/]/i.test(url)) {
        throw new ConfigError('REDIS_URL must start with redis:// or rediss:// followed by a host');
      }
      const { RedisStore } = await import('./redis-store');
      return new RedisStore({ ...storeOptions, url });
    }
    case 'upstash': {
      const url = env.UPSTASH_REDIS_REST_URL?.trim();
      const token = env.UPSTASH_REDIS_REST_TOKEN?.trim();
      if (!url) throw new ConfigError('FRAMEFILL_STORE=upstash needs UPSTASH_REDIS_REST_URL (https://….upstash.io)');
      if (!isHttpUrl(url)) throw new ConfigError('UPSTASH_REDIS_REST_URL must be an http(s):// URL');
      if (!token) throw new ConfigError('FRAMEFILL_STORE=upstash needs UPSTASH_REDIS_REST_TOKEN (the database\'s REST token)');
      return new UpstashStore({ ...storeOptions, url, token });
    }
    default:
      throw new ConfigError(`FRAMEFILL_STORE must be one of ${STORE_KINDS.join(', ')}; got "${kind}"`);
  }
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}
