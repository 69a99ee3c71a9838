// The one error path: a store outage is a 503 store_unavailable, any other unexpected failure a
// 500 internal_error; both keep their cause, and every 5xx is logged once with its request id
// and its causes, never with a secret.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { errorBodySchema, REQUEST_ID_HEADER } from '../contract';
import { StoreError } from '../errors';
import { MemoryStore } from '../store';
import { RedisStore } from '../store/redis-store';
import { ALICE_SECRET, testConfig } from '../test-helpers/stack';

const OPENAI_KEY = 'sk-error-path-canary-5c1f9e0a7d3b';

/** A memory store whose counters (budget reservation, spend tracking) fail the way `failure` says. */
class FailingStore extends MemoryStore {
  constructor(private readonly failure: () => Error) {
    super();
  }
  override async reserve(): Promise<{ ok: boolean; value: number }> {
    throw this.failure();
  }
  override async add(): Promise<number> {
    throw this.failure();
  }
}

function appWith(store: MemoryStore, overrides: Parameters<typeof testConfig>[0] = {}) {
  const errorLines: string[] = [];
  const app = createApp(testConfig({ openaiApiKey: OPENAI_KEY, ...overrides }), {
    store,
    logger: () => {},
    errorLog: (line) => errorLines.push(line),
  });
  return { app, errorLines };
}

const generate = (app: ReturnType<typeof createApp>) =>
  app.request('/v1/images/generations', {
    method: 'POST',
    headers: { authorization: `Bearer ${ALICE_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'A lighthouse at dusk', quality: 'low', size: '1024x1024' }),
  });

/** A loopback port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function errorOf(response: Response) {
  return errorBodySchema.parse(await response.json()).error;
}

describe('the one error path', () => {
  it('answers a real store outage with 503 store_unavailable and logs its cause', async () => {
    const { app, errorLines } = appWith(new FailingStore(() => new StoreError('store: Redis reserve failed: connect ECONNREFUSED 127.0.0.1:6390', { cause: new Error('connect ECONNREFUSED 127.0.0.1:6390') })));
    const response = await generate(app);
    expect(response.status).toBe(503);
    expect((await errorOf(response)).code).toBe('store_unavailable');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(`[${response.headers.get(REQUEST_ID_HEADER)}] 503 store_unavailable`);
    expect(errorLines[0]).toContain('ECONNREFUSED');
  });

  it('reports a Redis that is down as store_unavailable, with ioredis\'s reason in the log', async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await closedPort()}` });
    const errorLines: string[] = [];
    const app = createApp(testConfig({ openaiApiKey: OPENAI_KEY }), { store, logger: () => {}, errorLog: (line) => errorLines.push(line) });
    try {
      const response = await generate(app);
      expect(response.status).toBe(503);
      expect((await errorOf(response)).code).toBe('store_unavailable');
      expect(errorLines[0]).toMatch(/503 store_unavailable: HttpError: .* ← StoreError: store: Redis \S+ failed: .*max retries/);
    } finally {
      await store.close();
    }
  });

  it('answers a bug on the same path with 500 internal_error, not a store outage, and logs the bug', async () => {
    const { app, errorLines } = appWith(new FailingStore(() => new TypeError("Cannot read properties of undefined (reading 'ok')")));
    const response = await generate(app);
    expect(response.status).toBe(500);
    const error = await errorOf(response);
    expect(error.code).toBe('internal_error');
    expect(error.message).not.toMatch(/reading 'ok'/);
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/500 internal_error: HttpError: .* ← TypeError: Cannot read properties of undefined/);
  });

  it('logs an unreachable upstream as a 502 with the connection error behind it, and no secret', async () => {
    const { app, errorLines } = appWith(new MemoryStore(), { openaiBaseUrl: `http://127.0.0.1:${await closedPort()}/v1`, upstreamRetries: 0 });
    const response = await generate(app);
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('upstream_unreachable');
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/502 upstream_unreachable: HttpError: .* ← .*Connection error/);
    expect(errorLines.join('\n')).not.toContain(OPENAI_KEY);
    expect(errorLines.join('\n')).not.toContain(ALICE_SECRET);
  });

  it('never logs 4xx refusals as server errors', async () => {
    const { app, errorLines } = appWith(new MemoryStore());
    const response = await app.request('/v1/images/generations', {
      method: 'POST',
      headers: { authorization: `Bearer ${ALICE_SECRET}`, 'content-type': 'application/json' },
      body: '{"prompt":',
    });
    expect(response.status).toBe(400);
    expect(errorLines).toEqual([]);
  });
});
