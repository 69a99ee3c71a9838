// The Redis-backed stores against ONE real redis-server started here: RedisStore over TCP and
// UpstashStore through a loopback bridge speaking Upstash's REST protocol to the same server.
// No redis-server → beforeAll throws and every test here fails with the reason (never skipped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createStoreFromEnv } from './from-env';
import { RedisStore } from './redis-store';
import { UpstashStore } from './upstash-store';
import { startRedisServer, type RedisServer } from './test-helpers/redis-server';
import { startUpstashBridge, type UpstashBridge } from './test-helpers/upstash-bridge';
import { storeContract } from './test-helpers/store-contract';

let server: RedisServer;
let bridgeRedis: Redis;
let bridge: UpstashBridge;
let raw: Redis; // for looking behind the stores (TTLs, key names)

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const run = Math.random().toString(36).slice(2);

beforeAll(async () => {
  server = await startRedisServer();
  bridgeRedis = server.client();
  bridge = await startUpstashBridge(bridgeRedis);
  raw = server.client();
});

afterAll(async () => {
  await bridge?.close();
  bridgeRedis?.disconnect();
  raw?.disconnect();
  await server?.stop();
});

describe('RedisStore (TCP): store contract', () => {
  // Each open() is a separate connection, like separate serverless instances.
  storeContract({ open: () => new RedisStore({ url: server.url, prefix: `c:${run}:` }), pass: sleep });
});

describe('UpstashStore (REST): store contract', () => {
  storeContract({ open: () => new UpstashStore({ url: bridge.url, token: bridge.token, prefix: `u:${run}:` }), pass: sleep });
});

describe('RedisStore specifics', () => {
  it('stores under the prefix, with the TTL given at creation', async () => {
    const store = new RedisStore({ url: server.url, prefix: `team-a:${run}:` });
    try {
      await store.add('spend', 5, 300);
      expect(await raw.get(`team-a:${run}:spend`)).toBe('5');
      const ttl = await raw.ttl(`team-a:${run}:spend`);
      expect(ttl).toBeGreaterThan(290);
      expect(ttl).toBeLessThanOrEqual(300);
      await store.add('spend', 1, 9_999); // an existing key keeps its TTL
      expect(await raw.ttl(`team-a:${run}:spend`)).toBeLessThanOrEqual(300);
      const other = new RedisStore({ url: server.url, prefix: `team-b:${run}:` });
      expect(await other.get('spend')).toBe(0);
      await other.close();
    } finally {
      await store.close();
    }
  });

  it('keeps working after Redis forgets its scripts (restart, SCRIPT FLUSH)', async () => {
    const store = new RedisStore({ url: server.url, prefix: `flush:${run}:` });
    try {
      expect(await store.reserve('k', 1, 5, 60)).toEqual({ ok: true, value: 1 });
      await raw.script('FLUSH');
      expect(await store.reserve('k', 1, 5, 60)).toEqual({ ok: true, value: 2 });
      expect(await store.add('k', 1, 60)).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('fails a command with an error, not a hang, when Redis is unreachable', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const store = new RedisStore({ url: 'redis://127.0.0.1:1' });
    try {
      await expect(store.get('k')).rejects.toThrow();
    } finally {
      await store.close();
    }
  });
});

describe('UpstashStore specifics', () => {
  it('sends EVALSHA once the script is known and falls back to EVAL after SCRIPT FLUSH', async () => {
    const store = new UpstashStore({ url: bridge.url, token: bridge.token, prefix: `sha:${run}:` });
    await raw.script('FLUSH');
    bridge.commands.length = 0;
    expect(await store.reserve('k', 2, 5, 60)).toEqual({ ok: true, value: 2 });
    expect(await store.reserve('k', 2, 5, 60)).toEqual({ ok: true, value: 4 });
    // first call: EVALSHA → NOSCRIPT → EVAL (which caches it); second: EVALSHA only
    expect(bridge.commands).toEqual(['EVALSHA', 'EVAL', 'EVALSHA']);
  });

  it('stores under the prefix with the TTL given at creation', async () => {
    const store = new UpstashStore({ url: bridge.url, token: bridge.token, prefix: `up-a:${run}:` });
    await store.reserve('spend', 5, 10, 300);
    expect(await raw.get(`up-a:${run}:spend`)).toBe('5');
    expect(await raw.ttl(`up-a:${run}:spend`)).toBeGreaterThan(290);
  });

  it('a wrong token is a clear error that names the setting and never echoes the token', async () => {
    const secret = 'wrong-token-s3cret';
    const store = new UpstashStore({ url: bridge.url, token: secret });
    const err = await store.get('k').then(() => undefined, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/Unauthorized.*UPSTASH_REDIS_REST_TOKEN/);
    expect(err?.message).not.toContain(secret);
  });

  it('an unreachable URL rejects with an error naming the command', async () => {
    const store = new UpstashStore({ url: 'http://127.0.0.1:1', token: 't', timeoutMs: 2_000 });
    await expect(store.add('k', 1, 60)).rejects.toThrow(/Upstash EVALSHA failed/);
  });
});

describe('createStoreFromEnv with real backends', () => {
  it('FRAMEFILL_STORE=redis connects with REDIS_URL', async () => {
    const store = await createStoreFromEnv({ FRAMEFILL_STORE: 'redis', REDIS_URL: server.url }, { prefix: `env:${run}:` });
    try {
      expect(store).toBeInstanceOf(RedisStore);
      expect(await store.add('k', 2, 60)).toBe(2);
      expect(await raw.get(`env:${run}:k`)).toBe('2');
    } finally {
      await store.close();
    }
  });

  it('FRAMEFILL_STORE=upstash talks REST with the URL and token', async () => {
    const store = await createStoreFromEnv(
      { FRAMEFILL_STORE: 'upstash', UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token },
      { prefix: `envu:${run}:` },
    );
    expect(store).toBeInstanceOf(UpstashStore);
    expect(await store.reserve('k', 3, 3, 60)).toEqual({ ok: true, value: 3 });
    expect(await raw.get(`envu:${run}:k`)).toBe('3');
  });
});
