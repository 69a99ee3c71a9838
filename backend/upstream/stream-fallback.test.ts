// A model OpenAI will not stream: a streamed request still succeeds, end to end (official SDK →
// backend → fake OpenAI told to refuse streaming). The client gets the SSE it asked for, is
// charged from the repeat's usage, and the refused attempt is neither charged nor a retry.
import { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSse } from '../../test/support/sse';
import { imageSize, pngOf } from '../../test/support/images';
import { streamEventSchema, usageSummarySchema } from '../contract';
import { costFromUsage, roundUsd, type ImageUsage } from '../pricing';
import { decodeB64, startStack, type Stack } from '../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fake: { noStreamModels: ['gpt-image-2'] } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.fake.setNoStreamModels(['gpt-image-2']);
});

interface Completed {
  type: string;
  b64_json: string;
  size?: string;
  quality?: string;
  usage?: ImageUsage;
  framefill?: { cost_usd: number; request_id: string; model: string };
}

/** A streamed generation sent as raw HTTP (the SDK would throw on the error cases). */
const postStream = (headers: Record<string, string> = {}) =>
  stack.fetch('/v1/images/generations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ prompt: 'x', stream: true, quality: 'low', size: '1024x640' }),
  });

async function usageNow() {
  return usageSummarySchema.parse(await (await stack.fetch('/v1/usage')).json());
}

describe('a model the upstream will not stream', () => {
  it('a streamed generation gets one completed event per image, the whole usage and framefill on the last, the right charge', async () => {
    const before = await usageNow();
    const stream = await stack.client().images.generate({ prompt: 'two foxes', stream: true, partial_images: 2, n: 2, quality: 'low', size: '1024x640' });
    const events: Completed[] = [];
    for await (const event of stream) events.push(event as unknown as Completed);

    expect(events.map((e) => e.type)).toEqual(['image_generation.completed', 'image_generation.completed']);
    for (const e of events) {
      streamEventSchema.parse(e);
      expect(imageSize(decodeB64(e.b64_json))).toMatchObject({ format: 'png', width: 1024, height: 640 });
      expect(e).toMatchObject({ size: '1024x640', quality: 'low' });
    }
    expect(events[0]!.b64_json).not.toBe(events[1]!.b64_json);
    expect(events[0]!.usage).toBeUndefined();
    expect(events[0]!.framefill).toBeUndefined();
    const last = events[1]!;
    const cost = costFromUsage(last.usage);
    expect(last.usage?.output_tokens).toBeGreaterThan(0);
    expect(last.framefill).toMatchObject({ cost_usd: cost, model: 'gpt-image-2' });

    // Upstream: the refused stream, then the same request without stream fields.
    expect(stack.fake.requests.map((r) => r.status)).toEqual([400, 200]);
    const [refused, plain] = stack.fake.requests;
    expect(refused!.fields).toMatchObject({ stream: true, partial_images: 2, n: 2 });
    const { stream: _s, partial_images: _p, ...rest } = refused!.fields;
    expect(plain!.fields).toEqual(rest);

    const after = await usageNow();
    expect(after.requests - before.requests).toBe(1);
    expect(after.images - before.images).toBe(2);
    expect((after.partial_images ?? 0) - (before.partial_images ?? 0)).toBe(0);
    expect(roundUsd(after.cost_usd - before.cost_usd)).toBe(cost);
  });

  it('a streamed edit goes again as the same multipart body without stream fields, files byte for byte', async () => {
    const reference = pngOf(64, 48, 3);
    const stream = await stack.client().images.edit({
      prompt: 'add a hat',
      image: await toFile(reference, 'ref.png', { type: 'image/png' }),
      stream: true,
      partial_images: 1,
      quality: 'medium',
      size: '1024x640',
    });
    const events: Completed[] = [];
    for await (const event of stream) events.push(event as unknown as Completed);
    expect(events.map((e) => e.type)).toEqual(['image_edit.completed']);
    expect(events[0]!.framefill?.cost_usd).toBe(costFromUsage(events[0]!.usage));
    expect(events[0]!.usage?.input_tokens_details?.image_tokens).toBeGreaterThan(0);

    const [refused, plain] = stack.fake.requests;
    expect([refused?.status, plain?.status]).toEqual([400, 200]);
    expect(refused!.fields).toMatchObject({ stream: 'true', partial_images: '1' });
    const { stream: _s, partial_images: _p, ...rest } = refused!.fields;
    expect(plain!.fields).toEqual(rest);
    expect(plain!.files).toEqual(refused!.files);
    expect(plain!.files).toEqual([expect.objectContaining({ field: 'image', bytes: reference.byteLength, format: 'png', width: 64, height: 48 })]);
  });

  it('an idempotent stream is kept: the repeat replays it without calling the upstream again', async () => {
    const key = { 'idempotency-key': `fallback-${Math.random()}` };
    const post = () => postStream(key);
    const first = parseSse(await (await post()).text()).map((e) => JSON.parse(e.data) as Completed);
    const again = parseSse(await (await post()).text()).map((e) => JSON.parse(e.data) as Completed);
    expect(first.map((e) => e.type)).toEqual(['image_generation.completed']);
    expect(again.map((e) => e.b64_json)).toEqual(first.map((e) => e.b64_json));
    expect(stack.fake.requests).toHaveLength(2);
  });

  it('the repeat fails as itself: its error reaches the client, nothing is charged', async () => {
    const before = await usageNow();
    stack.fake.setFault({ kind: 'moderation_blocked' }, 1);
    const res = await postStream();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('moderation_blocked');
    expect(stack.fake.requests.map((r) => r.status)).toEqual([400, 400]);
    expect((await usageNow()).cost_usd).toBe(before.cost_usd);
  });

  it('a repeat that answers garbage ends the stream with an error event, charged nothing', async () => {
    const before = await usageNow();
    stack.fake.setFault({ kind: 'invalid_json' }, 1);
    const res = await postStream();
    expect(res.status).toBe(200);
    const events = parseSse(await res.text()).map((e) => JSON.parse(e.data) as { type: string; error?: { code: string } });
    expect(events).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code: 'upstream_invalid_response' }) })]);
    expect(stack.fake.requests.map((r) => r.status)).toEqual([400, 200]);
    expect((await usageNow()).cost_usd).toBe(before.cost_usd);
  });

  it('models that stream are relayed as before, partials included, with one upstream call', async () => {
    stack.fake.setNoStreamModels([]);
    const stream = await stack.client().images.generate({ prompt: 'x', stream: true, partial_images: 1, quality: 'low', size: '1024x640' });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    expect(stack.fake.requests).toHaveLength(1);
  });

  it('a non-stream request to that model is a single ordinary call', async () => {
    const res = await stack.client().images.generate({ prompt: 'x', quality: 'low', size: '1024x640' });
    expect(res.data).toHaveLength(1);
    expect(stack.fake.requests.map((r) => r.status)).toEqual([200]);
  });
});
