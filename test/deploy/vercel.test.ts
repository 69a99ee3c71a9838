// Vercel: the function entry and the prebuilt Build Output, driven with Web Requests the way
// Vercel's Node.js runtime calls method exports (Request in, streamed Response out). Vercel itself
// cannot run here; its routing is checked against the generated config.json.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildVercel, DEFAULT_VERCEL_MAX_DURATION, VERCEL_FUNCTION, VERCEL_RUNTIME, vercelMaxDuration } from '../../scripts/build-backend.mjs';
import { ALICE_SECRET } from '../../backend/test-helpers/stack';
import { createFetchHandler } from '../../backend/platform/fetch-handler';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { startRedisServer, type RedisServer } from '../../backend/store/test-helpers/redis-server';
import { checkEdit, checkGenerate, checkPanelBasics, checkStream, checkUsage, type Target } from './api-checks';

const root = fileURLToPath(new URL('../..', import.meta.url));

type MethodExports = Record<string, ((request: Request) => Promise<Response>) | undefined>;

const ORIGIN = 'https://framefill.example.vercel.app';

/** Requests to the deployment call the export named after the method, as Vercel's runtime does. */
function viaExports(exports: MethodExports, fake: FakeOpenAI): Target {
  return {
    origin: ORIGIN,
    fake,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      // The SDK probes fetch with a data: URL before multipart uploads; that is not a request to us.
      if (!request.url.startsWith(ORIGIN)) return fetch(request);
      const handler = exports[request.method];
      if (!handler) return new Response(null, { status: 405 });
      return handler(request);
    },
  };
}

let fake: FakeOpenAI;
let dir: string;
const saved = { ...process.env };
/** The function's stdout: Vercel's runtime log. */
const logLines: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logLines.push(args.join(' ')));
  fake = await startFakeOpenAI({ latencyMs: 5, partialIntervalMs: 2 });
  dir = await mkdtemp(path.join(tmpdir(), 'framefill-vercel-'));
  // What the Vercel project's environment variables would hold.
  Object.assign(process.env, {
    OPENAI_API_KEY: DEFAULT_API_KEY,
    OPENAI_BASE_URL: fake.url,
    FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}`,
    FRAMEFILL_UPSTREAM_RETRIES: '0',
  });
  delete process.env.FRAMEFILL_STORE;
});

afterAll(async () => {
  vi.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('backend/platform/vercel.ts', () => {
  it('serves the API from process.env: generate, stream, edit, usage, preflight', async () => {
    const target = viaExports((await import('../../backend/platform/vercel')) as MethodExports, fake);
    await checkPanelBasics(target);
    await checkGenerate(target);
    await checkStream(target);
    await checkEdit(target);
    await checkUsage(target, 3);
    const lines = logLines.map((l) => JSON.parse(l) as { token: string | null; route: string; status: number });
    expect(lines.some((l) => l.token === 'alice' && l.route === '/v1/images/edits' && l.status === 200)).toBe(true);
    expect(logLines.join('\n')).not.toContain(ALICE_SECRET);
    expect(logLines.join('\n')).not.toContain(DEFAULT_API_KEY);
  });
});

describe('the batch cron route (Vercel Cron)', () => {
  it('refuses callers without CRON_SECRET, and with it advances an overnight batch', async () => {
    const target = viaExports((await import('../../backend/platform/vercel')) as MethodExports, fake);
    const cron = `${ORIGIN}/v1/framefill/cron/batches`;
    const auth = { authorization: `Bearer ${ALICE_SECRET}` };
    delete process.env.CRON_SECRET;
    expect((await target.fetch!(cron, { headers: { authorization: 'Bearer anything' } })).status).toBe(401);
    process.env.CRON_SECRET = 'cron-secret-0123456789';
    try {
      expect((await target.fetch!(cron, { headers: auth })).status).toBe(401);
      const id = `vercel-batch-${Date.now()}`;
      const submitted = await target.fetch!(`${ORIGIN}/v1/framefill/batches`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ id, kind: 'generation', prompt: 'a kite', quality: 'low', size: '1024x1024' }] }),
      });
      expect(submitted.status).toBe(202);
      fake.batches.completeNow();
      const ran = await target.fetch!(cron, { headers: { authorization: 'Bearer cron-secret-0123456789' } });
      expect(ran.status).toBe(200);
      expect(await ran.json()).toMatchObject({ finished: 1 });
      expect((await target.fetch!(`${ORIGIN}/v1/results/${id}`, { headers: auth })).status).toBe(200);
    } finally {
      delete process.env.CRON_SECRET;
    }
  });
});

describe('vercel.json', () => {
  it('builds the prebuilt output and leaves routing and duration to it', async () => {
    const config = JSON.parse(await readFile(path.join(root, 'vercel.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ framework: null, buildCommand: 'node scripts/build-backend.mjs vercel' });
    // A prebuilt .vercel/output carries its own routes and maxDuration; these keys would be ignored
    // or, for `functions` naming no api/ file, fail the deployment.
    for (const key of ['functions', 'rewrites', 'routes', 'builds']) expect(config).not.toHaveProperty(key);
  });
});

describe('the Build Output (.vercel/output)', () => {
  let output: string;
  beforeAll(async () => {
    output = path.join(dir, 'output');
    await buildVercel({ outputDir: output, maxDuration: vercelMaxDuration({}) });
  });

  it('is one streaming Node.js function allowed the default 300 s a high-quality image needs', async () => {
    const vc = JSON.parse(await readFile(path.join(output, 'functions', `${VERCEL_FUNCTION}.func`, '.vc-config.json'), 'utf8'));
    expect(vc).toMatchObject({ runtime: VERCEL_RUNTIME, handler: 'index.mjs', launcherType: 'Nodejs', supportsResponseStreaming: true, maxDuration: 300 });
    expect(DEFAULT_VERCEL_MAX_DURATION).toBe(300);
    expect(vercelMaxDuration({ FRAMEFILL_VERCEL_MAX_DURATION: '800' })).toBe(800);
    expect(() => vercelMaxDuration({ FRAMEFILL_VERCEL_MAX_DURATION: '5m' })).toThrow(/whole number of seconds/);
  });

  it('routes /v1/* and /healthz to the function and nothing else', async () => {
    const config = JSON.parse(await readFile(path.join(output, 'config.json'), 'utf8')) as { version: number; routes: { src: string; dest: string }[] };
    expect(config.version).toBe(3);
    const routed = (p: string) => config.routes.find((r) => new RegExp(r.src).test(p))?.dest ?? null;
    for (const p of ['/v1/images/generations', '/v1/images/edits', '/v1/usage', '/healthz']) expect(routed(p)).toBe(`/${VERCEL_FUNCTION}`);
    for (const p of ['/', '/v10/x', '/healthz/x', '/api']) expect(routed(p)).toBeNull();
  });

  it('has Vercel Cron call the batch route, which the function serves', async () => {
    const config = JSON.parse(await readFile(path.join(output, 'config.json'), 'utf8')) as { routes: { src: string; dest: string }[]; crons?: { path: string; schedule: string }[] };
    expect(config.crons).toEqual([{ path: '/v1/framefill/cron/batches', schedule: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    expect(config.routes.find((r) => new RegExp(r.src).test(config.crons![0]!.path))?.dest).toBe(`/${VERCEL_FUNCTION}`);
  });

  it('runs on its own (no node_modules) and streams through the official SDK', async () => {
    const bundle = path.join(output, 'functions', `${VERCEL_FUNCTION}.func`, 'index.mjs');
    const target = viaExports((await import(pathToFileURL(bundle).href)) as MethodExports, fake);
    await checkGenerate(target);
    await checkStream(target);
  });
});

describe('the Build Output with FRAMEFILL_STORE=redis', () => {
  let server: RedisServer;
  let raw: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    raw = server.client();
  });
  afterAll(async () => {
    raw?.disconnect();
    await server?.stop();
  });

  it('reaches Redis over TCP with the ioredis it carries, and counts usage there', async () => {
    // A second build: a fresh module, so its app is built from the environment set here.
    const output = path.join(dir, 'output-redis');
    await buildVercel({ outputDir: output, maxDuration: 300 });
    Object.assign(process.env, { FRAMEFILL_STORE: 'redis', REDIS_URL: server.url });
    const bundle = path.join(output, 'functions', `${VERCEL_FUNCTION}.func`, 'index.mjs');
    const target = viaExports((await import(pathToFileURL(bundle).href)) as MethodExports, fake);
    await checkGenerate(target);
    await checkUsage(target, 1);
    expect((await raw.keys('*')).length).toBeGreaterThan(0);
  });
});

describe('a misconfigured deployment', () => {
  it('answers every request with a clear 500 the panel can read, and logs the reason', async () => {
    const handle = createFetchHandler();
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
    try {
      const env = { FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}` }; // no OPENAI_API_KEY
      for (let i = 0; i < 2; i++) {
        const res = await handle(new Request('https://x.example/v1/usage', { headers: { authorization: `Bearer ${ALICE_SECRET}` } }), env);
        expect(res.status).toBe(500);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(await res.json()).toMatchObject({ error: { type: 'server_error', code: 'backend_misconfigured' } });
      }
    } finally {
      console.error = original;
    }
    expect(errors[0]).toMatch(/OPENAI_API_KEY is not set/);
    expect(errors.join('\n')).not.toContain(ALICE_SECRET);
  });
});
