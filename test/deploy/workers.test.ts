// Cloudflare Workers: the production Worker bundle runs in real workerd (Miniflare), configured
// like wrangler.toml, with the official SDK on one side and the fake OpenAI on 127.0.0.1 on the
// other.
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker, WORKER_OUTFILE } from '../../scripts/build-backend.mjs';
import { imagesResponseSchema } from '../../backend/contract';
import { ALICE_SECRET, decodeB64 } from '../../backend/test-helpers/stack';
import { imageSize } from '../support/images';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import { startRedisServer, type RedisServer } from '../../backend/store/test-helpers/redis-server';
import { startUpstashBridge, type UpstashBridge } from '../../backend/store/test-helpers/upstash-bridge';
import { checkEdit, checkGenerate, checkPanelBasics, checkStream, checkUsage, type Target } from './api-checks';

const root = fileURLToPath(new URL('../..', import.meta.url));
const wranglerToml = await readFile(path.join(root, 'wrangler.toml'), 'utf8');
const tomlString = (key: string) => new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(wranglerToml)?.[1];

let dir: string;
let bundle: string;
let metafile: { inputs: Record<string, unknown>; outputs: Record<string, { imports: { path: string }[] }> };
let fake: FakeOpenAI;
let mf: Miniflare;
let options: MiniflareOptions & { bindings: Record<string, string> };
let target: Target;
const logLines: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'framefill-worker-'));
  const outfile = path.join(dir, 'index.mjs');
  metafile = (await buildWorker({ outfile })).metafile;
  bundle = await readFile(outfile, 'utf8');
  fake = await startFakeOpenAI({ latencyMs: 5, partialIntervalMs: 2 });
  options = {
    modules: true,
    scriptPath: outfile,
    modulesRoot: dir, // module names are relative to it; workerd refuses ".." in them
    compatibilityDate: tomlString('compatibility_date'),
    bindings: {
      OPENAI_API_KEY: DEFAULT_API_KEY,
      OPENAI_BASE_URL: fake.url,
      FRAMEFILL_TOKENS: `alice:${ALICE_SECRET}`,
      FRAMEFILL_UPSTREAM_RETRIES: '0',
    },
    host: '127.0.0.1',
    port: 0,
    logRequests: false,
    telemetry: { enabled: false },
    handleRuntimeStdio(stdout: Readable, stderr: Readable) {
      for (const stream of [stdout, stderr]) createInterface({ input: stream }).on('line', (line) => logLines.push(line));
    },
  };
  mf = new Miniflare(options);
  const url = await mf.ready.catch((err: unknown) => {
    throw new Error(`workerd did not start: ${String(err)}\n${logLines.join('\n')}`);
  });
  target = { origin: url.origin, fake };
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the Worker in workerd', () => {
  it('answers the panel: health, CORS preflight from origin null, 401 without a token', async () => {
    await checkPanelBasics(target);
  });

  it('generates, streams and edits through the official SDK, and counts usage across requests', async () => {
    await checkGenerate(target);
    await checkStream(target);
    await checkEdit(target);
    // One app per isolate: the usage the three calls recorded is still there on the next request.
    await checkUsage(target, 3);
  });

  it('finishes a keyed stream whose client left (ctx.waitUntil) and serves it from GET /v1/results/{id}', async () => {
    fake.setLatency(1_500);
    try {
      const key = `worker-detached-${Date.now()}`;
      const auth = { authorization: `Bearer ${ALICE_SECRET}` };
      const controller = new AbortController();
      const res = await fetch(`${target.origin}/v1/images/generations`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ prompt: 'a lighthouse', quality: 'low', size: '1024x1024', stream: true, partial_images: 1 }),
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('image_generation.partial_image');
      const upstreamCalls = fake.requests.length;
      controller.abort();
      await reader.cancel().catch(() => {});

      let body: unknown = null;
      for (let i = 0; i < 60 && body === null; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const result = await fetch(`${target.origin}/v1/results/${key}`, { headers: auth });
        if (result.status === 200) body = await result.json();
        else expect(result.status, 'the run is still going (202), not forgotten (404)').toBe(202);
      }
      const image = imagesResponseSchema.parse(body).data[0]!.b64_json!;
      expect(imageSize(decodeB64(image))).toMatchObject({ width: 1024, height: 1024 });
      expect(fake.requests.at(-1)!.aborted).toBe(false);
      expect(fake.requests.length).toBe(upstreamCalls);
    } finally {
      fake.setLatency(5);
    }
  });

  it('logs one JSON line per request with the caller\'s name, never a secret', async () => {
    const lines = logLines.filter((l) => l.includes('"request_id"')).map((l) => JSON.parse(l.slice(l.indexOf('{'))) as { token: string | null; route: string; status: number });
    expect(lines.some((l) => l.token === 'alice' && l.route === '/v1/images/generations' && l.status === 200)).toBe(true);
    const all = logLines.join('\n');
    expect(all).not.toContain(ALICE_SECRET);
    expect(all).not.toContain(DEFAULT_API_KEY);
  });
});

describe('the Worker with the store wrangler.toml sets up (Upstash over HTTPS)', () => {
  let server: RedisServer;
  let redis: Redis;
  let bridge: UpstashBridge;
  let other: Miniflare | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = server.client();
    bridge = await startUpstashBridge(redis);
  });
  afterAll(async () => {
    await other?.dispose();
    await bridge?.close();
    redis?.disconnect();
    await server?.stop();
  });

  it('counts usage in the shared store, so another isolate sees it', async () => {
    const upstash = { ...options.bindings, FRAMEFILL_STORE: 'upstash', UPSTASH_REDIS_REST_URL: bridge.url, UPSTASH_REDIS_REST_TOKEN: bridge.token };
    await mf.setOptions({ ...options, bindings: upstash });
    other = new Miniflare({ ...options, bindings: upstash });
    const first = { origin: (await mf.ready).origin, fake };
    const second = { origin: (await other.ready).origin, fake };
    await checkGenerate(first);
    await checkUsage(second, 1);
    expect(bridge.commands.length).toBeGreaterThan(0);
  });

  it('advances an overnight batch from its scheduled handler (Cron Trigger)', async () => {
    const origin = (await mf.ready).origin;
    const auth = { authorization: `Bearer ${ALICE_SECRET}` };
    const id = `worker-batch-${Date.now()}`;
    const submitted = await fetch(`${origin}/v1/framefill/batches`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ id, kind: 'generation', prompt: 'a lighthouse at dusk', quality: 'low', size: '1024x1024' }] }),
    });
    expect(submitted.status).toBe(202);
    expect((await fetch(`${origin}/v1/results/${id}`, { headers: auth })).status).toBe(202);
    fake.batches.completeNow();
    const worker = (await mf.getWorker()) as unknown as { scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string }> };
    expect((await worker.scheduled({ cron: '*/5 * * * *' })).outcome).toBe('ok');
    const result = await fetch(`${origin}/v1/results/${id}`, { headers: auth });
    expect(result.status).toBe(200);
    const image = imagesResponseSchema.parse(await result.json()).data[0]!.b64_json!;
    expect(imageSize(decodeB64(image))).toMatchObject({ width: 1024, height: 1024 });
  });

  it('refuses FRAMEFILL_STORE=redis with a clear 500, and says why in the log', async () => {
    await other!.setOptions({ ...options, bindings: { ...options.bindings, FRAMEFILL_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:6379' } });
    const res = await fetch(new URL('/v1/usage', await other!.ready), { headers: { authorization: `Bearer ${ALICE_SECRET}` } });
    expect(res.status).toBe(500);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.json()).toMatchObject({ error: { code: 'backend_misconfigured' } });
    expect(logLines.some((l) => l.includes('not available on Cloudflare Workers'))).toBe(true);
  });
});

describe('the Worker bundle', () => {
  it('imports nothing: no node: modules, no npm packages, no ioredis', () => {
    const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imports).toEqual([]);
    // esbuild prints specifiers in double quotes; the SDK's error text mentions import('node:buffer') in single ones.
    expect(/\bfrom\s*"node:[^"]*"|\bimport\(\s*"node:[^"]*"|\brequire\(\s*"node:[^"]*"/.exec(bundle)?.[0] ?? null).toBeNull();
    expect(Object.keys(metafile.inputs).filter((p) => p.includes('ioredis') || p.endsWith('store/redis-store.ts'))).toEqual([]);
  });

  it('swaps the Redis (TCP) store for the stub wherever the store layer is bundled', async () => {
    const { metafile: storeMeta } = await buildWorker({ entry: path.join(root, 'backend/store/index.ts'), outfile: path.join(dir, 'store.mjs') });
    const inputs = Object.keys(storeMeta.inputs);
    expect(inputs.some((p) => p.endsWith('backend/platform/redis-store-stub.ts'))).toBe(true);
    expect(inputs.filter((p) => p.includes('ioredis') || p.endsWith('store/redis-store.ts'))).toEqual([]);
  });

  it('is what wrangler.toml deploys, without Node compatibility flags', () => {
    expect(path.resolve(root, tomlString('main') ?? '')).toBe(WORKER_OUTFILE);
    expect(wranglerToml).toMatch(/^no_bundle\s*=\s*true/m);
    expect(wranglerToml).toMatch(/^command\s*=\s*"node scripts\/build-backend\.mjs worker"/m);
    expect(wranglerToml).not.toMatch(/^\s*compatibility_flags/m);
  });

  it('has a Cron Trigger, so the scheduled handler follows overnight batches once deployed', () => {
    expect(wranglerToml).toMatch(/^\[triggers\]\s*\ncrons\s*=\s*\["[^"]+"\]/m);
  });
});
