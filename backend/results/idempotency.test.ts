// Results never lost, never paid twice: Idempotency-Key repeats (sequential, concurrent, as a
// stream), GET /v1/results/{id} per token, a panel closed mid-stream, failures that free the key.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pngOf } from '../../test/support/images';
import { COST_HEADER, errorBodySchema, imagesResponseSchema, REPLAYED_HEADER, streamEventSchema } from '../contract';
import { parseSse } from '../../test/support/sse';
import { storeKeys, utcMonth } from '../store/keys';
import { BOB_SECRET, eventually, sleep, startStack, type Stack } from '../test-helpers/stack';
import { MemoryStore } from '../store';
import { readUsage } from '../accounting/usage-ledger';

let stack: Stack;
const NOW = Date.parse('2026-11-24T12:00:00Z');
const MONTH = utcMonth(NOW);
const warnings: string[] = [];
beforeAll(async () => {
  stack = await startStack({ deps: { clock: () => NOW, warn: (m) => warnings.push(m) } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.fake.setLatency(5);
});

let counter = 0;
const newKey = () => `run-${Date.now()}-${++counter}`;
const keyed = (key: string) => ({ headers: { 'Idempotency-Key': key } });

function post(body: Record<string, unknown>, key: string | null, secret?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers['idempotency-key'] = key;
  if (secret) headers.authorization = `Bearer ${secret}`;
  return stack.fetch('/v1/images/generations', { method: 'POST', headers, body: JSON.stringify({ prompt: 'a fox', quality: 'low', ...body }) });
}

const usage = (name = 'alice') => readUsage(stack.store, name, MONTH);

/** Money reserved minus money spent for `name` this month: 0 when nothing is held or leaked. */
async function held(name = 'alice'): Promise<number> {
  const [usd, cost] = await stack.store.getMany([storeKeys.usd(name, MONTH), storeKeys.usage(name, MONTH, 'cost')]);
  return usd! - cost!;
}

describe('Idempotency-Key repeats', () => {
  it('a sequential repeat returns the same body without a second upstream call or charge', async () => {
    const key = newKey();
    const before = await usage();
    const first = await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key)).withResponse();
    const again = await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key)).withResponse();
    expect(stack.fake.requests).toHaveLength(1);
    expect(again.data).toEqual(first.data);
    expect(imagesResponseSchema.parse(again.data).framefill?.request_id).toBe(first.response.headers.get('x-request-id'));
    expect(again.response.headers.get(REPLAYED_HEADER)).toBe('true');
    expect(first.response.headers.get(REPLAYED_HEADER)).toBeNull();
    expect(again.response.headers.get(COST_HEADER)).toBe(first.response.headers.get(COST_HEADER));
    const after = await usage();
    expect(after.requests - before.requests).toBe(1);
    expect(after.images - before.images).toBe(1);
    expect(await held()).toBe(0);
    const logs = await stack.waitForLogs(2);
    expect(logs.at(-1)).toMatchObject({ status: 200, replayed: true, cost_usd: 0 });
  });

  it('concurrent repeats wait for the first and share its result: one upstream call, one charge', async () => {
    stack.fake.setLatency(300);
    const key = newKey();
    const before = await usage();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key))),
    );
    expect(stack.fake.requests).toHaveLength(1);
    for (const r of results) expect(r).toEqual(results[0]);
    const after = await usage();
    expect(after.requests - before.requests).toBe(1);
    expect(await held()).toBe(0);
  });

  it('a stream request whose key has a result gets it replayed as a stream (completed events only)', async () => {
    const key = newKey();
    const first = await stack.client().images.generate({ prompt: 'a fox', quality: 'low', n: 2 }, keyed(key));
    const stream = await stack.client().images.generate({ prompt: 'a fox', quality: 'low', n: 2, stream: true, partial_images: 2 }, keyed(key));
    const events = [];
    for await (const e of stream) events.push(streamEventSchema.parse(e));
    expect(stack.fake.requests).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['image_generation.completed', 'image_generation.completed']);
    expect(events.map((e) => (e.type === 'image_generation.completed' ? e.b64_json : ''))).toEqual(first.data!.map((d) => d.b64_json));
    const last = events[1]!;
    if (last.type !== 'image_generation.completed') throw new Error('expected completed');
    expect(last.framefill).toEqual((first as typeof first & { framefill: unknown }).framefill);
  });

  it('a streamed run is stored too: a JSON repeat and GET /v1/results return its images', async () => {
    const key = newKey();
    const stream = await stack.client().images.generate({ prompt: 'a fox', quality: 'low', stream: true, partial_images: 1 }, keyed(key));
    let final = '';
    for await (const e of stream) if (e.type === 'image_generation.completed') final = e.b64_json;
    await stack.waitForLogs(1);
    const again = await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key));
    expect(again.data![0]!.b64_json).toBe(final);
    const res = await stack.fetch(`/v1/results/${key}`);
    expect(res.status).toBe(200);
    const body = imagesResponseSchema.parse(await res.json());
    expect(body.data[0]!.b64_json).toBe(final);
    expect(body.usage?.output_tokens).toBeGreaterThan(0);
    expect(body.framefill?.cost_usd).toBeGreaterThan(0);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('edits are idempotent too, and the same key with other images is refused (409)', async () => {
    const key = newKey();
    const image = await toFile(pngOf(512, 512, 1), 'a.png');
    const first = await stack.client().images.edit({ image, prompt: 'night', quality: 'low' }, keyed(key));
    const again = await stack.client().images.edit({ image: await toFile(pngOf(512, 512, 1), 'renamed.png'), prompt: 'night', quality: 'low' }, keyed(key));
    expect(again).toEqual(first);
    expect(stack.fake.requests).toHaveLength(1);
    const other = stack.client().images.edit({ image: await toFile(pngOf(512, 512, 2), 'a.png'), prompt: 'night', quality: 'low' }, keyed(key));
    await expect(other).rejects.toMatchObject({ status: 409, code: 'idempotency_key_reused' });
  });

  it('refuses a key reused for a different request with 409, and malformed keys with 400', async () => {
    const key = newKey();
    expect((await post({}, key)).status).toBe(200);
    const reused = await post({ prompt: 'another prompt' }, key);
    expect(reused.status).toBe(409);
    expect(errorBodySchema.parse(await reused.json()).error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
    for (const bad of ['', 'has space', 'x'.repeat(101), 'ümlaut', 'a/b']) {
      const res = await post({}, bad);
      expect(res.status).toBe(400);
      expect(errorBodySchema.parse(await res.json()).error).toMatchObject({ param: 'Idempotency-Key', code: 'invalid_idempotency_key' });
    }
    expect((await post({}, `A-z_0.9:${'x'.repeat(92)}`)).status).toBe(200);
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('a failed first run frees the key: the retry runs again and only it is charged', async () => {
    const key = newKey();
    const before = await usage();
    stack.fake.setFault({ kind: 'server_error' }, 1);
    await expect(stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key))).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(404);
    const retry = await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key));
    expect(retry.data).toHaveLength(1);
    expect(stack.fake.requests.map((r) => r.status)).toEqual([500, 200]);
    const after = await usage();
    expect(after.requests - before.requests).toBe(1);
    expect(await held()).toBe(0);
  });
});

describe('GET /v1/results/{id}', () => {
  it('serves the result to its token only: another token gets 404, like an unknown id', async () => {
    const key = newKey();
    const first = await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key));
    const mine = await stack.fetch(`/v1/results/${encodeURIComponent(key)}`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await mine.json()).toEqual(first);
    const theirs = await stack.fetch(`/v1/results/${key}`, { headers: { authorization: `Bearer ${BOB_SECRET}` } });
    const unknown = await stack.fetch('/v1/results/never-sent');
    for (const res of [theirs, unknown]) {
      expect(res.status).toBe(404);
      expect(errorBodySchema.parse(await res.json()).error.code).toBe('not_found');
    }
    const head = await stack.fetch(`/v1/results/${key}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await stack.fetch(`/v1/results/${key}`, { method: 'POST' })).status).toBe(405);
    expect((await stack.fetch('/v1/results/bad%20id')).status).toBe(400);
    expect((await fetch(`${stack.url}/v1/results/${key}`)).status).toBe(401);
  });

  it('answers 202 in_progress while the run is going, then 200', async () => {
    stack.fake.setLatency(400);
    const key = newKey();
    const running = post({}, key);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    const pending = await stack.fetch(`/v1/results/${key}`);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ object: 'framefill.result', status: 'in_progress', id: key });
    expect((await running).status).toBe(200);
    expect((await stack.fetch(`/v1/results/${key}`)).status).toBe(200);
  });
});

describe('a panel closed mid-run', () => {
  it('stream with a key: the upstream call finishes, the result is stored and counted once', async () => {
    stack.fake.setLatency(400);
    const key = newKey();
    const before = await usage();
    const controller = new AbortController();
    const res = await stack.fetch('/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ prompt: 'a fox', quality: 'low', stream: true, partial_images: 2 }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('image_generation.partial_image');
    controller.abort();
    await reader.cancel().catch(() => {});

    let final: Response | null = null;
    for (let i = 0; i < 100 && !final; i++) {
      const r = await stack.fetch(`/v1/results/${key}`);
      if (r.status === 200) final = r;
      else await sleep(50);
    }
    expect(final).not.toBeNull();
    const body = imagesResponseSchema.parse(await final!.json());
    expect(body.data).toHaveLength(1);
    expect(body.data[0]!.b64_json!.length).toBeGreaterThan(100);
    expect(stack.fake.requests).toHaveLength(1);
    expect(stack.fake.requests[0]!.aborted).toBe(false);
    const after = await usage();
    expect(after.requests - before.requests).toBe(1);
    expect(after.images - before.images).toBe(1);
    expect(await held()).toBe(0);
  });

  it('non-stream with a key: the same (the call is not aborted and its result is kept)', async () => {
    stack.fake.setLatency(300);
    const key = newKey();
    const controller = new AbortController();
    const pending = stack
      .fetch('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ prompt: 'a fox', quality: 'low' }),
        signal: controller.signal,
      })
      .catch(() => null);
    expect(await eventually(() => stack.fake.requests.length === 1)).toBe(true);
    controller.abort();
    await pending;
    expect(await eventually(() => stack.fake.requests[0]!.status === 200, 3_000)).toBe(true);
    expect(stack.fake.requests[0]!.aborted).toBe(false);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await stack.fetch(`/v1/results/${key}`)).status;
      if (status !== 200) await sleep(20);
    }
    expect(status).toBe(200);
  });
});

describe('results too big to keep', () => {
  it('are delivered once, then repeats get 409 result_not_retained instead of a second charge', async () => {
    const local = await startStack({ config: { maxResultBytes: 1_000 }, deps: { warn: (m) => warnings.push(m) } });
    try {
      const key = newKey();
      const first = await local.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key));
      expect(first.data![0]!.b64_json!.length).toBeGreaterThan(1_000);
      expect(warnings.some((w) => w.includes(key) && w.includes('FRAMEFILL_MAX_RESULT_BYTES'))).toBe(true);
      await expect(local.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(key))).rejects.toMatchObject({ status: 409, code: 'result_not_retained' });
      const res = await local.fetch(`/v1/results/${key}`);
      expect(res.status).toBe(404);
      expect(errorBodySchema.parse(await res.json()).error.code).toBe('result_not_retained');
      // A stream over the cap is not held in memory either, and is not run twice.
      const streamKey = newKey();
      const events = parseSse(await (await local.fetch('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': streamKey },
        body: JSON.stringify({ prompt: 'a fox', quality: 'low', stream: true }),
      })).text());
      expect(events.map((e) => e.event)).toEqual(['image_generation.completed']);
      await local.waitForLogs(4);
      expect((await local.fetch(`/v1/results/${streamKey}`)).status).toBe(404);
      expect(local.fake.requests).toHaveLength(2);
    } finally {
      await local.close();
    }
  });
});

describe('results beyond the in-memory cap (FRAMEFILL_MEMORY_RESULT_BYTES)', () => {
  it('drop the oldest first: its repeat gets 409 result_not_retained, never a second charge; newer ones replay', async () => {
    // The size one stored result takes, measured on the shared stack (same fake, same images).
    const shared = stack.store as MemoryStore;
    const before = shared.heldEvictableBytes;
    await stack.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(newKey()));
    const one = shared.heldEvictableBytes - before;
    expect(one).toBeGreaterThan(1_000);
    // Room for one result and a half: each new one pushes the previous out.
    const local = await startStack({ config: { memoryResultBytes: Math.floor(one * 1.5) } });
    try {
      const [first, second] = [newKey(), newKey()];
      await local.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(first));
      await local.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(second));
      expect(local.fake.requests).toHaveLength(2);

      await expect(local.client().images.generate({ prompt: 'a fox', quality: 'low' }, keyed(first))).rejects.toMatchObject({ status: 409, code: 'result_not_retained' });
      const gone = await local.fetch(`/v1/results/${first}`);
      expect(gone.status).toBe(404);
      expect(errorBodySchema.parse(await gone.json()).error.code).toBe('result_not_retained');
      // The marker still knows what was asked: the key cannot be reused for another request.
      await expect(local.client().images.generate({ prompt: 'a hen', quality: 'low' }, keyed(first))).rejects.toMatchObject({ status: 409, code: 'idempotency_key_reused' });

      const kept = await local.fetch(`/v1/results/${second}`);
      expect(kept.status).toBe(200);
      expect(imagesResponseSchema.parse(await kept.json()).data).toHaveLength(1);
      expect(local.fake.requests).toHaveLength(2);
      // Counters are never evicted: both calls are still on the books.
      expect((await readUsage(local.store, 'alice', utcMonth(Date.now()))).requests).toBe(2);
      expect((local.store as MemoryStore).heldEvictableBytes).toBeLessThanOrEqual(Math.floor(one * 1.5));
    } finally {
      await local.close();
    }
  });
});
