// Generations through the backend with the official SDK as the client, against the fake OpenAI.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { imageSize } from '../../../test/support/images';
import { COST_HEADER, imagesResponseSchema, streamEventSchema } from '../../contract';
import { costFromUsage, PARTIAL_IMAGE_OUTPUT_TOKENS, type ImageUsage } from '../../pricing';
import { parseSse } from '../../../test/support/sse';
import { ALICE_SECRET, decodeB64, startStack, type Stack } from '../../test-helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.fake.reset();
  stack.fake.setLatency(5);
});

describe('POST /v1/images/generations (non-stream)', () => {
  it('returns the image at the requested size with usage, framefill cost and the cost header', async () => {
    const { data, response } = await stack
      .client()
      .images.generate({ prompt: 'a red fox in snow, golden hour', size: '1536x1024', quality: 'low', n: 2 })
      .withResponse();
    expect(data.data).toHaveLength(2);
    const size = imageSize(decodeB64(data.data![0]!.b64_json!));
    expect(size).toMatchObject({ format: 'png', width: 1536, height: 1024 });
    expect(data.usage?.output_tokens).toBeGreaterThan(0);
    const body = imagesResponseSchema.parse(data);
    const expected = costFromUsage(data.usage as ImageUsage);
    expect(expected).toBeGreaterThan(0);
    expect(body.framefill).toEqual({ cost_usd: expected, request_id: response.headers.get('x-request-id'), model: 'gpt-image-2' });
    expect(Number(response.headers.get(COST_HEADER))).toBe(expected);
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('uses the configured model when the request names none and sends only validated fields upstream', async () => {
    await stack.client().images.generate({ prompt: 'a lighthouse', quality: 'low' });
    const rec = stack.fake.requests[0]!;
    // `user`: alice's end-user id for OpenAI's abuse monitoring (end-user-id.ts), never her secret.
    expect(rec.fields).toEqual({ prompt: 'a lighthouse', quality: 'low', model: 'gpt-image-2', user: expect.stringMatching(/^ff_[\w-]{19}$/) });
    // The fake accepted the OpenAI key, and never saw the client's secret.
    expect(rec.authorized).toBe(true);
    expect(JSON.stringify(rec.headers)).not.toContain(ALICE_SECRET);
  });

  it('passes null fields as "not given" and drops response_format b64_json', async () => {
    const res = await stack.fetch('/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x', n: null, quality: 'low', response_format: 'b64_json' }),
    });
    expect(res.status).toBe(200);
    expect(stack.fake.requests[0]!.fields).toEqual({ prompt: 'x', quality: 'low', model: 'gpt-image-2', user: expect.stringMatching(/^ff_/) });
  });
});

describe('POST /v1/images/generations (stream)', () => {
  it('relays partial images before the completed event, which carries the framefill cost', async () => {
    const stream = await stack.client().images.generate({ prompt: 'a cat', stream: true, partial_images: 2, quality: 'low', size: '1024x1024' });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    const last = streamEventSchema.parse(events[2]);
    if (last.type !== 'image_generation.completed') throw new Error('expected completed');
    expect(imageSize(decodeB64(last.b64_json))).toMatchObject({ width: 1024, height: 1024 });
    expect(last.framefill?.cost_usd).toBe(costFromUsage(last.usage as ImageUsage));
    expect(last.framefill?.cost_usd).toBeGreaterThan(0);
    expect(last.framefill?.model).toBe('gpt-image-2');
    // OpenAI bills each preview as 100 more output tokens: the charge is the usage, previews included
    // ($30/M × 200 tokens above the same image without previews).
    const plain = await stack.client().images.generate({ prompt: 'a cat', quality: 'low', size: '1024x1024' });
    expect(last.usage?.output_tokens).toBe(plain.usage!.output_tokens + 2 * PARTIAL_IMAGE_OUTPUT_TOKENS);
    expect(last.framefill!.cost_usd - costFromUsage(plain.usage as ImageUsage)).toBeCloseTo(0.006, 6);
  });

  it('sends OpenAI-format SSE with streaming headers', async () => {
    const res = await stack.fetch('/v1/images/generations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a cat', stream: true, partial_images: 1, quality: 'low' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text();
    expect(text).toMatch(/^event: image_generation\.partial_image\ndata: \{/);
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
  });

  it('with n=2, only the last completed event carries framefill, and it holds the whole request cost', async () => {
    const stream = await stack.client().images.generate({ prompt: 'two cats', stream: true, n: 2, quality: 'medium' });
    const completed = [];
    for await (const event of stream) if (event.type === 'image_generation.completed') completed.push(event as typeof event & { framefill?: { cost_usd: number } });
    expect(completed).toHaveLength(2);
    expect(completed[0]!.framefill).toBeUndefined();
    const total = completed.reduce((sum, e) => sum + costFromUsage(e.usage), 0);
    expect(completed[1]!.framefill?.cost_usd).toBeCloseTo(total, 6);
    // Same figure as a non-stream call of the same request.
    const plain = await stack.client().images.generate({ prompt: 'two cats', n: 2, quality: 'medium' });
    expect(completed[1]!.framefill?.cost_usd).toBeCloseTo(costFromUsage(plain.usage as ImageUsage), 6);
  });

  it('forwards each event as it arrives instead of buffering the stream', async () => {
    // 2 partials 150 ms apart, then the final image 600 ms after the start.
    const local = await startStack({ fake: { latencyMs: 600, partialIntervalMs: 150 } });
    try {
      const started = Date.now();
      const stream = await local.client().images.generate({ prompt: 'slow', stream: true, partial_images: 2, quality: 'low' });
      const arrivals: Array<[string, number]> = [];
      for await (const event of stream) arrivals.push([event.type, Date.now() - started]);
      expect(arrivals.map((a) => a[0])).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
      const firstPartial = arrivals[0]![1];
      const completed = arrivals[2]![1];
      expect(completed).toBeGreaterThanOrEqual(550);
      expect(completed - firstPartial).toBeGreaterThanOrEqual(300);
    } finally {
      await local.close();
    }
  });

  it('keeps a quiet stream alive with SSE comments the SDK ignores', async () => {
    const local = await startStack({ fake: { latencyMs: 400 }, deps: { keepaliveMs: 50 } });
    try {
      const res = await local.fetch('/v1/images/generations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'quiet', stream: true, quality: 'low' }),
      });
      const text = await res.text();
      expect(text.match(/^: keepalive$/gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(parseSse(text).map((e) => e.event)).toEqual(['image_generation.completed']);
      const stream = await local.client().images.generate({ prompt: 'quiet', stream: true, quality: 'low' });
      const types = [];
      for await (const e of stream) types.push(e.type);
      expect(types).toEqual(['image_generation.completed']);
    } finally {
      await local.close();
    }
  });
});
