// Overnight batches through the backend against the fake OpenAI: submit, follow from two
// instances sharing one store, results under the items' ids, the batch price charged from
// `usage`, cancel and expiry released.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, UsageSummary } from '../contract';
import { wireApp } from '../dependencies';
import { costFromUsage, toMicros, fromMicros, roundUsd } from '../pricing';
import { storeKeys, utcMonth } from '../store/keys';
import { startServer } from '../test-helpers/start-server';
import { startStack, type Stack, ALICE_SECRET } from '../test-helpers/stack';
import { encodePng, gradient, pngOf } from '../../test/support/images';
import type { RouteDeps } from '../http/context';
import type { RunningServer } from '../platform/node-server';
import { advanceBatches } from './advance';

let stack: Stack;
/** a second instance: its own app and upstream client, the same store */
let second: RunningServer;
let instanceA: RouteDeps;
let instanceB: RouteDeps;

const BUDGET_MICROS = 100_000_000;

beforeAll(async () => {
  stack = await startStack({
    fake: { batchLatencyMs: 3_600_000 }, // finishes only when a test says so
    config: { limits: { defaults: { rpm: null, dailyImages: null, monthlyBudgetMicros: BUDGET_MICROS }, perToken: {} } },
  });
  second = await startServer(stack.config, { store: stack.store, logger: () => {}, errorLog: () => {} });
  instanceA = wireApp(stack.config, { store: stack.store, errorLog: (l) => stack.errorLines.push(l) }).routes;
  instanceB = wireApp(stack.config, { store: stack.store, errorLog: (l) => stack.errorLines.push(l) }).routes;
});
afterEach(() => stack.fake.reset());
afterAll(async () => {
  await second.close(0);
  await stack.close();
});

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const maskPng = (w: number, h: number) => encodePng(gradient(w, h, 3, 0));

async function submit(items: unknown[], headers: Record<string, string> = {}): Promise<Response> {
  return stack.fetch('/v1/framefill/batches', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ items }) });
}

async function usage(): Promise<UsageSummary> {
  return (await (await stack.fetch('/v1/usage')).json()) as UsageSummary;
}

const spentMicros = () => stack.store.get(storeKeys.usd('alice', utcMonth(Date.now())));
const upstreamCalls = (pattern: RegExp, method = 'GET') => stack.fake.requests.filter((r) => r.method === method && pattern.test(r.route)).length;
const generation = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'generation', prompt: `poster ${id}`, quality: 'low', size: '1024x1024', ...extra });

describe('an overnight batch of 20 items', () => {
  it('goes upstream once per endpoint, completes, is fetchable by id and charged once at the batch price', async () => {
    const ref = pngOf(256, 256, 7);
    const items = [
      ...Array.from({ length: 12 }, (_, i) => generation(`gen-${i}`, i % 3 === 0 ? { size: '1536x1024', quality: 'medium' } : {})),
      ...Array.from({ length: 8 }, (_, i) => ({
        id: `edit-${i}`,
        kind: 'edit',
        prompt: `recolour ${i}`,
        quality: 'low',
        size: '1024x1024',
        images: [b64(ref)],
        ...(i < 3 ? { mask: b64(maskPng(256, 256)) } : {}),
      })),
    ];
    const before = await usage();
    const submitted = await submit(items);
    expect(submitted.status).toBe(202);
    const batch = (await submitted.json()) as Batch;
    expect(batch).toMatchObject({ object: 'framefill.batch', status: 'in_progress', discount: 0.5 });
    expect(batch.items).toHaveLength(20);
    expect(batch.items.every((i) => i.status === 'pending')).toBe(true);
    expect(batch.reserved_usd).toBeGreaterThan(0);
    expect(await spentMicros()).toBe(toMicros(before.cost_usd) + toMicros(batch.reserved_usd));

    // OpenAI runs a batch against one endpoint: generations and edits go as one batch each.
    const upstream = stack.fake.batches.list();
    expect(upstream.map((b) => [b.endpoint, b.request_counts.total])).toEqual([
      ['/v1/images/generations', 12],
      ['/v1/images/edits', 8],
    ]);
    // While it runs its items are in progress, and following it downloads nothing.
    expect((await stack.fetch('/v1/results/gen-0')).status).toBe(202);
    expect(await advanceBatches(instanceA, Date.now())).toMatchObject({ looked: 1, finished: 0 });
    expect(upstreamCalls(/\/content$/)).toBe(0);

    stack.fake.batches.completeNow();
    // Two instances at once: the lock lets one collect; the other finds it locked or already done.
    const [a, b] = await Promise.all([advanceBatches(instanceA, Date.now()), advanceBatches(instanceB, Date.now())]);
    expect(a.finished + b.finished).toBe(1);
    expect(await advanceBatches(instanceB, Date.now())).toMatchObject({ finished: 0 });
    expect(upstreamCalls(/\/content$/)).toBe(2); // each output file read once

    // Every item's result, from either instance, under its idempotency id.
    let charged = 0;
    for (const [i, item] of items.entries()) {
      const origin = i % 2 === 0 ? stack.url : second.url;
      const res = await fetch(`${origin}/v1/results/${item.id}`, { headers: { authorization: `Bearer ${ALICE_SECRET}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { b64_json: string }[]; usage: Parameters<typeof costFromUsage>[0]; framefill: { cost_usd: number } };
      expect(body.data[0]!.b64_json.length).toBeGreaterThan(100);
      // The batch price: what upstream's usage costs, times the discount.
      expect(Math.abs(toMicros(body.framefill.cost_usd) - costFromUsage(body.usage) * 0.5e6)).toBeLessThanOrEqual(1); // to the micro-dollar
      charged += toMicros(body.framefill.cost_usd);
    }
    const view = (await (await stack.fetch(`/v1/framefill/batches/${batch.id}`)).json()) as Batch;
    expect(view).toMatchObject({ status: 'completed', reserved_usd: 0 });
    expect(view.items.every((i) => i.status === 'succeeded')).toBe(true);
    expect(toMicros(view.cost_usd)).toBe(charged);
    expect(charged).toBeLessThan(toMicros(batch.reserved_usd));
    const after = await usage();
    expect(after.cost_usd).toBeCloseTo(roundUsd(before.cost_usd + fromMicros(charged)), 6);
    expect(after.images - before.images).toBe(20);
    expect(await spentMicros()).toBe(toMicros(before.cost_usd) + charged);

    // A later run on the other instance neither downloads nor charges again.
    await advanceBatches(instanceB, Date.now());
    await advanceBatches(instanceA, Date.now());
    expect(upstreamCalls(/\/content$/)).toBe(2);
    expect((await usage()).cost_usd).toBe(after.cost_usd);

    // Nothing of the batch is left at OpenAI: its inputs (2 JSONL files, 8 references, 3 masks) and the output files went once it was stored.
    expect(upstreamCalls(/^\/v1\/files$/, 'POST')).toBe(13);
    expect(upstreamCalls(/^\/v1\/files\/file-[0-9a-f]+$/, 'DELETE')).toBe(15);
    expect(stack.fake.files.list()).toEqual([]);
  });

  it('deletes its files upstream even when a delete fails the first time, and keeps the key out of the log', async () => {
    const items = [generation('f-1'), { id: 'f-2', kind: 'edit', prompt: 'x', quality: 'low', size: '1024x1024', images: [b64(pngOf(64, 64))] }];
    const batch = (await (await submit(items)).json()) as Batch;
    expect(stack.fake.files.list().map((f) => f.purpose).sort()).toEqual(['batch', 'batch', 'vision']);
    stack.fake.batches.completeNow();
    // OpenAI refuses the deletes this time: the results are stored and charged all the same.
    const files = Object.create(instanceA.upstream.files) as typeof instanceA.upstream.files;
    files.delete = () => Promise.reject(Object.assign(new Error(`refused for ${stack.config.openaiApiKey}`), { status: 500 })) as never;
    const failing = { ...instanceA, upstream: Object.assign(Object.create(instanceA.upstream) as typeof instanceA.upstream, { files }) };
    const errors = stack.errorLines.length;
    expect(await advanceBatches(failing, Date.now())).toMatchObject({ finished: 1 });
    expect((await stack.fetch('/v1/results/f-2')).status).toBe(200);
    expect(stack.fake.files.list().length).toBeGreaterThanOrEqual(3);
    const logged = stack.errorLines.slice(errors).join('\n');
    expect(logged).toMatch(/not deleted upstream/);
    expect(logged).not.toContain(stack.config.openaiApiKey);

    // The next advance tries again, then stops following the batch.
    await advanceBatches(instanceA, Date.now());
    expect(stack.fake.files.list()).toEqual([]);
    expect(await advanceBatches(instanceA, Date.now())).toMatchObject({ looked: 0 });
    expect(((await (await stack.fetch(`/v1/framefill/batches/${batch.id}`)).json()) as Batch).status).toBe('completed');
  });
});

describe('refusals', () => {
  it('names the item and field of a bad item, and sends nothing upstream', async () => {
    const res = await submit([generation('ok-1'), generation('bad-size', { size: '1000x1000' })]);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { param: string; type: string } };
    expect(error).toMatchObject({ param: 'items[1].size', type: 'invalid_request_error' });
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('refuses a repeated id and an edit without images', async () => {
    const twice = await submit([generation('same'), generation('same')]);
    expect(((await twice.json()) as { error: { param: string } }).error.param).toBe('items[1].id');
    const bare = await submit([{ id: 'e', kind: 'edit', prompt: 'x' }]);
    expect(((await bare.json()) as { error: { param: string } }).error.param).toBe('items[0].images');
  });

  it('lets one of two racing submissions with the same id run, and frees the ids of a refused batch', async () => {
    const [first, second] = await Promise.all([submit([generation('race-1')]), submit([generation('race-1')])]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const loser = first.status === 409 ? first : second;
    expect(((await loser.json()) as { error: { param: string } }).error.param).toBe('items[0].id');
    expect(stack.fake.batches.list()).toHaveLength(1);

    // Over the monthly budget: 402, nothing upstream, and the ids can be used again.
    const dear = Array.from({ length: 20 }, (_, i) => generation(`dear-${i}`, { quality: 'high', size: '3840x2160', n: 10 }));
    const refused = await submit(dear);
    expect(refused.status).toBe(402);
    expect(stack.fake.batches.list()).toHaveLength(1);
    const again = await submit([generation('dear-0')]);
    expect(again.status).toBe(202);
    for (const res of [first.status === 202 ? first : second, again]) {
      const { id } = (await res.json()) as Batch;
      await stack.fetch(`/v1/framefill/batches/${id}`, { method: 'DELETE' });
    }
  });

  it('an upstream failure part-way cancels what was created, releases the reservation and frees the ids', async () => {
    const before = await spentMicros();
    stack.fake.batches.failNextCreate('/v1/images/edits');
    const items = [generation('half-1'), { id: 'half-2', kind: 'edit', prompt: 'x', quality: 'low', size: '1024x1024', images: [b64(pngOf(64, 64))] }];
    const res = await submit(items);
    expect(res.status).toBeGreaterThanOrEqual(500);
    const [created] = stack.fake.batches.list();
    expect(created?.endpoint).toBe('/v1/images/generations');
    expect(created?.status).toBe('cancelling'); // nobody would follow it: cancelled at once
    expect(await spentMicros()).toBe(before);
    const again = await submit(items);
    expect(again.status).toBe(202);
    await stack.fetch(`/v1/framefill/batches/${((await again.json()) as Batch).id}`, { method: 'DELETE' });
  });

  it('is unknown to another token', async () => {
    const batch = (await (await submit([generation('mine-1')])).json()) as Batch;
    const other = await stack.fetch(`/v1/framefill/batches/${batch.id}`, { headers: { authorization: 'Bearer ff-bob-fedcba9876543210' } });
    expect(other.status).toBe(404);
    await stack.fetch(`/v1/framefill/batches/${batch.id}`, { method: 'DELETE' });
  });
});

describe('an Idempotency-Key on the POST (a lost answer, sent again)', () => {
  const BOB = 'Bearer ff-bob-fedcba9876543210';

  it('answers a repeat with the same batch, creating and reserving nothing again', async () => {
    const items = [generation('k-1'), { id: 'k-2', kind: 'edit', prompt: 'x', quality: 'low', size: '1024x1024', images: [b64(pngOf(64, 64))] }];
    const first = await submit(items, { 'idempotency-key': 'sched-1' });
    expect(first.status).toBe(202);
    const batch = (await first.json()) as Batch;
    const spent = await spentMicros();
    const upstream = stack.fake.batches.list().length;
    const uploads = upstreamCalls(/^\/v1\/files$/, 'POST');

    const again = await submit(items, { 'idempotency-key': 'sched-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as Batch).id).toBe(batch.id);
    expect(stack.fake.batches.list()).toHaveLength(upstream);
    expect(upstreamCalls(/^\/v1\/files$/, 'POST')).toBe(uploads);
    expect(await spentMicros()).toBe(spent);

    // The same key with other items is a mistake, said as the image routes say it.
    const other = await submit([generation('k-3')], { 'idempotency-key': 'sched-1' });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: unknown }).error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key', type: 'invalid_request_error' });
    await stack.fetch(`/v1/framefill/batches/${batch.id}`, { method: 'DELETE' });
  });

  it('gives two racing submissions with one key one batch', async () => {
    const items = [generation('kr-1'), generation('kr-2')];
    const before = stack.fake.batches.list().length;
    const answers = await Promise.all([submit(items, { 'idempotency-key': 'sched-race' }), submit(items, { 'idempotency-key': 'sched-race' })]);
    const ids = await Promise.all(answers.map(async (r) => ((await r.json()) as Batch).id));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 202]);
    expect(ids[0]).toBe(ids[1]);
    expect(stack.fake.batches.list()).toHaveLength(before + 1);
    await stack.fetch(`/v1/framefill/batches/${ids[0]}`, { method: 'DELETE' });
  });

  it('keeps one token\'s key from another token, and frees a key whose submission failed', async () => {
    const mine = (await (await submit([generation('kt-1')], { 'idempotency-key': 'sched-shared' })).json()) as Batch;
    const bobs = await stack.fetch('/v1/framefill/batches', { method: 'POST', headers: { authorization: BOB, 'content-type': 'application/json', 'idempotency-key': 'sched-shared' }, body: JSON.stringify({ items: [generation('kt-1')] }) });
    expect(bobs.status).toBe(202);
    const bob = (await bobs.json()) as Batch;
    expect(bob.id).not.toBe(mine.id);
    for (const [id, auth] of [[mine.id, undefined], [bob.id, BOB]] as const) await stack.fetch(`/v1/framefill/batches/${id}`, { method: 'DELETE', ...(auth ? { headers: { authorization: auth } } : {}) });

    stack.fake.batches.failNextCreate('/v1/images/generations');
    expect((await submit([generation('kf-1')], { 'idempotency-key': 'sched-fail' })).status).toBeGreaterThanOrEqual(500);
    const retried = await submit([generation('kf-1')], { 'idempotency-key': 'sched-fail' });
    expect(retried.status).toBe(202);
    await stack.fetch(`/v1/framefill/batches/${((await retried.json()) as Batch).id}`, { method: 'DELETE' });
  });

  it('refuses a malformed key before anything is made', async () => {
    const res = await submit([generation('kb-1')], { 'idempotency-key': 'not a key!' });
    expect(res.status).toBe(400);
    expect(stack.fake.requests).toHaveLength(0);
  });
});

describe('cancel and expiry', () => {
  it('cancel releases the whole reservation when nothing finished', async () => {
    const before = await spentMicros();
    const batch = (await (await submit([generation('c-1'), generation('c-2'), generation('c-3')])).json()) as Batch;
    expect(await spentMicros()).toBeGreaterThan(before);
    const res = await stack.fetch(`/v1/framefill/batches/${batch.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const view = (await res.json()) as Batch;
    expect(view.status).toBe('cancelled');
    expect(view.items.map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(view.cost_usd).toBe(0);
    expect(await spentMicros()).toBe(before);
    expect((await stack.fetch('/v1/results/c-1')).status).toBe(404);
  });

  it('an expired item is reported and not charged; a failed one too', async () => {
    const before = await spentMicros();
    const batch = (await (await submit([generation('x-0'), generation('x-1'), generation('x-2'), generation('x-3')])).json()) as Batch;
    expect(stack.fake.batches.list()).toHaveLength(1); // generations only: one upstream batch
    stack.fake.batches.setItemFault('x-1', 'server_error');
    stack.fake.batches.expireNow(undefined, { done: 2 });
    await advanceBatches(instanceA, Date.now());
    const view = (await (await stack.fetch(`/v1/framefill/batches/${batch.id}`)).json()) as Batch;
    expect(view.status).toBe('expired');
    expect(view.items.map((i) => [i.id, i.status, i.error?.code ?? null])).toEqual([
      ['x-0', 'succeeded', null],
      ['x-1', 'failed', null],
      ['x-2', 'expired', 'batch_expired'],
      ['x-3', 'expired', 'batch_expired'],
    ]);
    const paid = toMicros(view.items[0]!.cost_usd ?? 0);
    expect(paid).toBeGreaterThan(0);
    expect(toMicros(view.cost_usd)).toBe(paid);
    expect(await spentMicros()).toBe(before + paid);
    expect((await stack.fetch('/v1/results/x-0')).status).toBe(200);
    expect((await stack.fetch('/v1/results/x-2')).status).toBe(404);
    stack.fake.batches.setItemFault('x-1', null);
  });
});
