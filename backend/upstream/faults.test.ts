// Upstream failures as the client sees them: OpenAI's errors passed through with their status,
// unreachable/invalid upstreams as 502, slow ones as 504, and streams that fail after they
// started ending with an `error` event — never hanging, never just dropping the connection.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema, streamEventSchema } from '../contract';
import { parseSse } from '../../test/support/sse';
import { storeKeys } from '../store/keys';
import { startStack, type Stack } from '../test-helpers/stack';

const TIMEOUT_MS = 400;
let stack: Stack;
/** the same, with a short FRAMEFILL_UPSTREAM_TIMEOUT_MS for the timeout cases */
let quick: Stack;
beforeAll(async () => {
  [stack, quick] = await Promise.all([startStack(), startStack({ config: { upstreamTimeoutMs: TIMEOUT_MS } })]);
});
afterAll(() => Promise.all([stack.close(), quick.close()]));
beforeEach(() => {
  stack.fake.reset();
  stack.fake.setLatency(5);
  quick.fake.reset();
});

const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ prompt: 'x', quality: 'low', ...extra });
const post = (extra: Record<string, unknown> = {}, on: Stack = stack) =>
  on.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(extra) });

async function errorOf(res: Response) {
  return errorBodySchema.parse(await res.json()).error;
}

/** The SSE events of a streamed response (the whole text, which must end). */
async function streamEvents(res: Response) {
  expect(res.status).toBe(200);
  return parseSse(await res.text()).map((e) => ({ event: e.event, data: streamEventSchema.parse(JSON.parse(e.data)) }));
}

describe('OpenAI errors pass through', () => {
  it('429 keeps its status, code and Retry-After (exposed to the browser)', async () => {
    stack.fake.setFault({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const res = await post();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(res.headers.get('x-ratelimit-limit-requests')).toBeNull();
    expect(await errorOf(res)).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    await expect(stack.client().images.generate({ prompt: 'x' })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('500 and 503 keep their status', async () => {
    stack.fake.setFault({ kind: 'server_error' }, 1);
    expect((await post()).status).toBe(500);
    stack.fake.setFault({ kind: 'unavailable' }, 1);
    const res = await post();
    expect(res.status).toBe(503);
    expect((await errorOf(res)).type).toBe('server_error');
  });

  it('moderation_blocked → 400 with its code, for streams too (before the stream starts)', async () => {
    stack.fake.setFault({ kind: 'moderation_blocked' });
    const res = await post();
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'moderation_blocked', type: 'image_generation_user_error' });
    const streamed = await post({ stream: true });
    expect(streamed.status).toBe(400);
    expect((await errorOf(streamed)).code).toBe('moderation_blocked');
  });

  it('retries 429 upstream when configured, honouring Retry-After', async () => {
    const local = await startStack({ config: { upstreamRetries: 1 } });
    try {
      local.fake.setFault({ kind: 'rate_limit', retryAfterSeconds: 1 }, 1);
      const started = Date.now();
      const result = await local.client().images.generate({ prompt: 'x', quality: 'low' });
      expect(result.data).toHaveLength(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(local.fake.requests.map((r) => r.status)).toEqual([429, 200]);
    } finally {
      await local.close();
    }
  });

  it("OpenAI refusing the backend's key is a 502 for the operator, not a 401 for the user", async () => {
    const local = await startStack({ config: { openaiApiKey: 'sk-wrong-key-for-the-fake-1234' } });
    try {
      const res = await local.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
      const text = await res.text();
      expect(res.status).toBe(502);
      expect(errorBodySchema.parse(JSON.parse(text)).error.code).toBe('upstream_auth_failed');
      expect(text).not.toContain('1234');
    } finally {
      await local.close();
    }
  });
});

describe('failures to reach or read OpenAI', () => {
  it('connection reset → 502 upstream_unreachable', async () => {
    stack.fake.setFault({ kind: 'reset' });
    const res = await post();
    expect(res.status).toBe(502);
    expect(await errorOf(res)).toMatchObject({ type: 'upstream_error', code: 'upstream_unreachable' });
  });

  it('hang → 504 upstream_timeout after FRAMEFILL_UPSTREAM_TIMEOUT_MS (stream or not)', async () => {
    quick.fake.setFault({ kind: 'hang' });
    const started = Date.now();
    const res = await post({}, quick);
    expect(res.status).toBe(504);
    expect(await errorOf(res)).toMatchObject({ type: 'upstream_error', code: 'upstream_timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(3_000);
    const streamed = await post({ stream: true }, quick);
    expect(streamed.status).toBe(504);
  });

  it('invalid JSON from upstream → 502 upstream_invalid_response', async () => {
    stack.fake.setFault({ kind: 'invalid_json' });
    const res = await post();
    expect(res.status).toBe(502);
    expect((await errorOf(res)).code).toBe('upstream_invalid_response');
  });

  it('a JSON body cut off mid-way → 502', async () => {
    stack.fake.setFault({ kind: 'truncated_stream' });
    const res = await post();
    expect(res.status).toBe(502);
    expect((await errorOf(res)).type).toBe('upstream_error');
  });
});

describe('failures after a stream started end it with an error event', () => {
  it('truncated upstream stream: partials relayed, then `error`', async () => {
    stack.fake.setFault({ kind: 'truncated_stream' });
    const events = await streamEvents(await post({ stream: true, partial_images: 2 }));
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'error']);
    const last = events[2]!.data;
    if (last.type !== 'error') throw new Error('expected error');
    expect(last.error).toMatchObject({ type: 'upstream_error', code: 'upstream_stream_truncated' });
    expect(last.error.message).toMatch(/0 of 1 image/);
  });

  it('the SDK client sees the error event as an APIError after the partials', async () => {
    stack.fake.setFault({ kind: 'truncated_stream' });
    const stream = await stack.client().images.generate({ prompt: 'x', stream: true, partial_images: 1 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(seen).toEqual(['image_generation.partial_image']);
  });

  it('invalid JSON inside the stream → `error` upstream_invalid_response', async () => {
    stack.fake.setFault({ kind: 'invalid_json' });
    const events = await streamEvents(await post({ stream: true, partial_images: 1 }));
    const last = events.at(-1)!.data;
    expect(last.type).toBe('error');
    if (last.type === 'error') expect(last.error.code).toBe('upstream_invalid_response');
  });

  it('the deadline passing mid-stream → `error` upstream_timeout, and the stream ends', async () => {
    quick.fake.setLatency(5_000); // partials every few ms, the final image far beyond the limit
    const started = Date.now();
    const events = await streamEvents(await post({ stream: true, partial_images: 2 }, quick));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(events.map((e) => e.event)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'error']);
    const last = events[2]!.data;
    if (last.type === 'error') expect(last.error.code).toBe('upstream_timeout');
  });

  it('n=2 cut after the first image: that image and its cost arrive, then `error`', async () => {
    const local = await startStack();
    try {
      // The first image arrives, then the upstream vanishes before the second.
      local.fake.setLatency(300);
      const res = await local.fetch('/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body({ stream: true, n: 2 }) });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (let i = 0; i < 200 && !text.includes('image_generation.completed'); i++) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await local.fake.close(); // upstream vanishes after image 1
      for (let i = 0; i < 200; i++) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      const events = parseSse(text).map((e) => JSON.parse(e.data) as { type: string; error?: { code: string }; framefill?: { cost_usd: number } });
      expect(events.map((e) => e.type)).toEqual(['image_generation.completed', 'error']);
      for (const e of events) streamEventSchema.parse(e);
      expect(events[1]!.error?.code).toBe('upstream_unreachable');
      // The error event says what the delivered image cost.
      expect(events[1]!.framefill?.cost_usd).toBeGreaterThan(0);
      const usage = await (await local.fetch('/v1/usage')).json();
      expect(usage).toMatchObject({ images: 1, requests: 1 });
      // The budget counter kept the delivered image's actual cost and released the rest.
      const [reserved, spent] = await local.store.getMany([storeKeys.usd('alice', usage.month), storeKeys.usage('alice', usage.month, 'cost')]);
      expect(spent).toBeGreaterThan(0);
      expect(reserved).toBe(spent);
    } finally {
      await local.close().catch(() => {});
    }
  });
});
