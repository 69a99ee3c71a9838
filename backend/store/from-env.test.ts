import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { createStoreFromEnv } from './from-env';
import { MemoryStore } from './memory-store';

describe('createStoreFromEnv', () => {
  it('defaults to the in-memory store', async () => {
    expect(await createStoreFromEnv({})).toBeInstanceOf(MemoryStore);
    expect(await createStoreFromEnv({ FRAMEFILL_STORE: '' })).toBeInstanceOf(MemoryStore);
    expect(await createStoreFromEnv({ FRAMEFILL_STORE: ' Memory ' })).toBeInstanceOf(MemoryStore);
  });

  it('gives the in-memory store its cap on results (FRAMEFILL_MEMORY_RESULT_BYTES, via the config)', async () => {
    const store = await createStoreFromEnv({}, { memoryResultBytes: 10 });
    await store.put('result:a', 'x'.repeat(11), 60, { evictable: true, replacement: 'marker' });
    expect(await store.read('result:a')).toBe('marker');
  });

  it('refuses redis without REDIS_URL, or with a URL that is not redis://', async () => {
    await expect(createStoreFromEnv({ FRAMEFILL_STORE: 'redis' })).rejects.toThrow(ConfigError);
    await expect(createStoreFromEnv({ FRAMEFILL_STORE: 'redis' })).rejects.toThrow(/needs REDIS_URL/);
    await expect(createStoreFromEnv({ FRAMEFILL_STORE: 'redis', REDIS_URL: 'http://cache:6379' })).rejects.toThrow(/redis:\/\/ or rediss:\/\//);
  });

  it('refuses upstash without its URL or token, never echoing the token', async () => {
    const token = 'AXsecret-token-value';
    await expect(createStoreFromEnv({ FRAMEFILL_STORE: 'upstash', UPSTASH_REDIS_REST_URL: 'https://eu1-x.upstash.io' }))
      .rejects.toThrow(/needs UPSTASH_REDIS_REST_TOKEN/);
    const noUrl = await createStoreFromEnv({ FRAMEFILL_STORE: 'upstash', UPSTASH_REDIS_REST_TOKEN: token }).catch((e: Error) => e);
    expect(noUrl).toBeInstanceOf(ConfigError);
    expect((noUrl as Error).message).toMatch(/needs UPSTASH_REDIS_REST_URL/);
    expect((noUrl as Error).message).not.toContain(token);
    await expect(createStoreFromEnv({ FRAMEFILL_STORE: 'upstash', UPSTASH_REDIS_REST_URL: 'eu1-x.upstash.io', UPSTASH_REDIS_REST_TOKEN: token }))
      .rejects.toThrow(/http\(s\):\/\//);
  });

  it('refuses an unknown store kind, listing the valid ones on one line', async () => {
    const err = await createStoreFromEnv({ FRAMEFILL_STORE: 'dynamo' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe('FRAMEFILL_STORE must be one of memory, redis, upstash; got "dynamo"');
  });
});
