// The fake must look like OpenAI to the official SDK: these tests drive it with `openai` itself.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
  toFile,
} from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outputTokensFor, PARTIAL_IMAGE_OUTPUT_TOKENS } from '../../backend/pricing.js';
import { imageSize, jpegOf, pngOf } from '../support/images.js';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from './server.js';
import { sniffImage } from './sniff.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 20, partialIntervalMs: 5 });
  client = new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: fake.url, maxRetries: 0 });
});
afterEach(() => {
  fake.reset();
  fake.setLatency(20);
});
afterAll(async () => {
  await fake.close();
});

const bytesOf = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64');

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

/** Polls a condition a bounded number of times (the server notices disconnects asynchronously). */
async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  for (let waited = 0; waited < timeoutMs && !check(); waited += 10) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('generations', () => {
  it('returns a PNG of exactly the requested size, with the response fields and usage of the real API', async () => {
    const prompt = 'A lighthouse at dusk, 35mm, warm rim light';
    const { data: res, response } = await client.images
      .generate({ model: 'gpt-image-2', prompt, size: '1536x864', quality: 'low' })
      .withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(res).toMatchObject({ background: 'opaque', output_format: 'png', quality: 'low', size: '1536x864' });
    expect(res.created).toBeCloseTo(Date.now() / 1000, -1);
    expect(res.data).toHaveLength(1);
    expect(imageSize(bytesOf(res.data?.[0]?.b64_json))).toEqual({ format: 'png', width: 1536, height: 864 });
    const out = outputTokensFor('low', 1536, 864);
    const text = Math.ceil(prompt.length / 4);
    expect(res.usage).toEqual({
      input_tokens: text,
      input_tokens_details: { image_tokens: 0, text_tokens: text },
      output_tokens: out,
      output_tokens_details: { image_tokens: out, text_tokens: 0 },
      total_tokens: text + out,
    });
  });

  it('records the request without the key', async () => {
    await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256', user: 'u-1' });
    expect(fake.requests).toHaveLength(1);
    const rec = fake.requests[0]!;
    expect(rec).toMatchObject({ route: 'generations', method: 'POST', status: 200, aborted: false, authorized: true });
    expect(rec.fields).toEqual({ model: 'gpt-image-2', prompt: 'x', size: '256x256', user: 'u-1' });
    expect(rec.headers.authorization).toBe('Bearer ***');
    expect(JSON.stringify(rec)).not.toContain(DEFAULT_API_KEY);
  });

  it('resolves auto: 1024x1024 at medium quality', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: 'auto', quality: 'auto' });
    expect(res).toMatchObject({ size: '1024x1024', quality: 'medium' });
    expect(res.usage?.output_tokens).toBe(outputTokensFor('medium', 1024, 1024));
    expect(imageSize(bytesOf(res.data?.[0]?.b64_json))).toMatchObject({ width: 1024, height: 1024 });
  });

  it('encodes JPEG and WebP when asked', async () => {
    const jpeg = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '320x480', output_format: 'jpeg', output_compression: 70 });
    expect(jpeg.output_format).toBe('jpeg');
    expect(imageSize(bytesOf(jpeg.data?.[0]?.b64_json))).toEqual({ format: 'jpeg', width: 320, height: 480 });
    const webp = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '320x480', output_format: 'webp' });
    expect(sniffImage(bytesOf(webp.data?.[0]?.b64_json))).toEqual({ format: 'webp', width: 320, height: 480 });
  });

  it('gives n different images', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256', n: 3, quality: 'high' });
    const images = (res.data ?? []).map((d) => d.b64_json);
    expect(images).toHaveLength(3);
    expect(new Set(images).size).toBe(3);
    for (const b64 of images) expect(imageSize(bytesOf(b64))).toMatchObject({ width: 256, height: 256 });
    expect(res.usage?.output_tokens).toBe(3 * outputTokensFor('high', 256, 256));
  });

  it.each(['1000x1000', '4000x1000', '3840x2176', '1024', '8x8'])('rejects size %s with a 400 naming size', async (size) => {
    const error = await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'x', size }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'size', type: 'invalid_request_error' });
    expect((error as BadRequestError).message).toContain(size);
  });

  it('accepts the largest size, 3840x2160', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '3840x2160', quality: 'low' });
    expect(imageSize(bytesOf(res.data?.[0]?.b64_json))).toMatchObject({ width: 3840, height: 2160 });
  });

  it('rejects unknown parameters, bad values and transparent JPEGs like OpenAI', async () => {
    const unknown = await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'x', style: 'vivid' }));
    expect(unknown).toMatchObject({ status: 400, param: 'style', code: 'unknown_parameter' });
    expect((unknown as Error).message).toContain("Unknown parameter: 'style'.");
    const n = await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'x', n: 11 }));
    expect(n).toMatchObject({ status: 400, param: 'n', code: 'integer_above_max_value' });
    const model = await failure(client.images.generate({ model: 'gpt-image-9', prompt: 'x' }));
    expect(model).toMatchObject({ status: 400, param: 'model' });
    const transparent = await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'x', background: 'transparent', output_format: 'jpeg' }));
    expect(transparent).toMatchObject({ status: 400, param: 'background' });
    const prompt = await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'p'.repeat(32_001) }));
    expect(prompt).toMatchObject({ status: 400, param: 'prompt', code: 'string_above_max_length' });
  });
});

describe('streaming', () => {
  it('sends partial_images partial events, then the completed event with usage, each as soon as it is ready', async () => {
    fake.setLatency(300);
    const stream = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '512x512', stream: true, partial_images: 2, quality: 'low' });
    const events: { type: string; at: number; event: Record<string, unknown> }[] = [];
    for await (const event of stream) events.push({ type: event.type, at: Date.now(), event: event as unknown as Record<string, unknown> });
    expect(events.map((e) => e.type)).toEqual(['image_generation.partial_image', 'image_generation.partial_image', 'image_generation.completed']);
    expect(events.map((e) => e.event.partial_image_index)).toEqual([0, 1, undefined]);
    // The first preview reached the client long before the final image was due.
    expect(events[2]!.at - events[0]!.at).toBeGreaterThanOrEqual(150);
    const [first, second, completed] = events.map((e) => e.event);
    expect(completed).toMatchObject({ size: '512x512', quality: 'low', background: 'opaque', output_format: 'png' });
    // Each partial is billed as 100 more image-output tokens, in the completed event's usage.
    expect(completed!.usage).toMatchObject({ output_tokens: outputTokensFor('low', 512, 512) + 2 * PARTIAL_IMAGE_OUTPUT_TOKENS });
    for (const e of [first, second, completed]) expect(imageSize(bytesOf(e!.b64_json as string))).toMatchObject({ width: 512, height: 512 });
    expect(new Set([first!.b64_json, second!.b64_json, completed!.b64_json]).size).toBe(3);
    expect(fake.requests[0]).toMatchObject({ status: 200, aborted: false });
  });

  it('streams n images one after another; the completed usages add up to the non-stream usage plus the partials', async () => {
    const params = { model: 'gpt-image-2', prompt: 'two cats', size: '256x256', n: 2, quality: 'medium' } as const;
    const stream = await client.images.generate({ ...params, stream: true, partial_images: 1 });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'image_generation.partial_image', 'image_generation.completed', 'image_generation.partial_image', 'image_generation.completed',
    ]);
    const completed = events.filter((e) => e.type === 'image_generation.completed');
    expect(completed[0]!.b64_json).not.toBe(completed[1]!.b64_json);
    const whole = (await client.images.generate(params)).usage!;
    const partials = 2 * PARTIAL_IMAGE_OUTPUT_TOKENS;
    const sum = (key: 'input_tokens' | 'output_tokens' | 'total_tokens') => completed.reduce((total, e) => total + e.usage[key], 0);
    expect(sum('input_tokens')).toBe(whole.input_tokens);
    expect(sum('output_tokens')).toBe(whole.output_tokens + partials);
    expect(sum('total_tokens')).toBe(whole.total_tokens + partials);
  });

  it('marks the request aborted when the client leaves mid-stream', async () => {
    fake.setLatency(2000);
    const stream = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256', stream: true, partial_images: 3 });
    for await (const event of stream) {
      expect(event.type).toBe('image_generation.partial_image');
      break; // the SDK aborts the request
    }
    await eventually(() => fake.requests[0]?.aborted === true);
  });
});

describe('edits', () => {
  it('takes two references (image[]) and a matching mask; multipart numbers and booleans arrive as strings', async () => {
    const res = await client.images.edit({
      model: 'gpt-image-2',
      prompt: 'Put the product on a marble table',
      image: [await toFile(pngOf(640, 480, 1), 'a.png', { type: 'image/png' }), await toFile(jpegOf(300, 200, 2), 'b.jpg', { type: 'image/jpeg' })],
      mask: await toFile(pngOf(640, 480, 3), 'mask.png', { type: 'image/png' }),
      n: 2,
      size: '768x512',
      input_fidelity: 'high',
    });
    expect(res.data).toHaveLength(2);
    expect(imageSize(bytesOf(res.data?.[1]?.b64_json))).toMatchObject({ width: 768, height: 512 });
    expect(res.usage?.input_tokens_details.image_tokens).toBe(3000); // 1500 per reference
    const rec = fake.requests[0]!;
    expect(rec).toMatchObject({ route: 'edits', status: 200 });
    expect(rec.fields).toMatchObject({ n: '2', size: '768x512', input_fidelity: 'high' });
    expect(rec.files.map(({ field, filename, format, width, height }) => ({ field, filename, format, width, height }))).toEqual([
      { field: 'image[]', filename: 'a.png', format: 'png', width: 640, height: 480 },
      { field: 'image[]', filename: 'b.jpg', format: 'jpeg', width: 300, height: 200 },
      { field: 'mask', filename: 'mask.png', format: 'png', width: 640, height: 480 },
    ]);
  });

  it('streams image_edit events', async () => {
    const stream = await client.images.edit({
      model: 'gpt-image-2', prompt: 'x', image: await toFile(pngOf(64, 64), 'a.png'), stream: true, partial_images: 1, size: '256x256',
    });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['image_edit.partial_image', 'image_edit.completed']);
  });

  it('rejects a mask that is not the size of the first image', async () => {
    const error = await failure(client.images.edit({
      model: 'gpt-image-2',
      prompt: 'x',
      image: [await toFile(pngOf(640, 480), 'a.png'), await toFile(pngOf(320, 320), 'b.png')],
      mask: await toFile(pngOf(320, 320), 'mask.png'),
    }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'mask' });
  });

  it('rejects files that are not PNG, JPEG or WebP, whatever their name says', async () => {
    const error = await failure(client.images.edit({
      model: 'gpt-image-2', prompt: 'x', image: await toFile(Buffer.from('GIF89a not really an image'), 'fake.png', { type: 'image/png' }),
    }));
    expect(error).toMatchObject({ status: 400, param: 'image', code: 'invalid_image_file' });
  });

  it('rejects more than 16 references and accepts 16', async () => {
    const png = pngOf(32, 32);
    const files = async (count: number) => Promise.all(Array.from({ length: count }, (_, i) => toFile(png, `r${i}.png`)));
    const error = await failure(client.images.edit({ model: 'gpt-image-2', prompt: 'x', image: await files(17), size: '256x256' }));
    expect(error).toMatchObject({ status: 400, param: 'image', code: 'array_above_max_length' });
    const ok = await client.images.edit({ model: 'gpt-image-2', prompt: 'x', image: await files(16), size: '256x256' });
    expect(ok.usage?.input_tokens_details.image_tokens).toBe(16 * 1500);
  });

  it('wants multipart, not JSON', async () => {
    const res = await fetch(`${fake.url}/images/edits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-image-2', prompt: 'x' }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('multipart/form-data');
  });
});

describe('auth and routing', () => {
  it('answers a wrong or missing key with 401 invalid_api_key, without echoing the key', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong-key-123456', baseURL: fake.url, maxRetries: 0 });
    const error = await failure(wrong.images.generate({ model: 'gpt-image-2', prompt: 'x' }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect((error as Error).message).not.toContain('sk-wrong-key-123456');
    const missing = await fetch(`${fake.url}/images/generations`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(fake.requests.map((r) => r.authorized)).toEqual([false, false]);
  });

  it('gives 404 for unknown routes, 405 for wrong methods, 400 for bad JSON, always in the error shape with a request id', async () => {
    const auth = { authorization: `Bearer ${DEFAULT_API_KEY}` };
    const cases = [
      { path: '/nope', method: 'POST', body: '{}', status: 404 },
      { path: '/images/generations', method: 'GET', body: undefined, status: 405 },
      { path: '/images/generations', method: 'POST', body: '{"prompt":', status: 400 },
    ];
    for (const c of cases) {
      const res = await fetch(`${fake.url}${c.path}`, { method: c.method, headers: auth, body: c.body });
      expect(res.status).toBe(c.status);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
      const { error } = await res.json();
      expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect(error.type).toBe('invalid_request_error');
    }
  });
});

describe('faults', () => {
  const generate = (options?: { timeout?: number }) =>
    client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256' }, options);

  it('rate_limit: 429 with Retry-After, type requests, code rate_limit_exceeded', async () => {
    fake.setFault({ kind: 'rate_limit', retryAfterSeconds: 7 }, 1);
    const error = await failure(generate());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, type: 'requests', code: 'rate_limit_exceeded' });
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
    await expect(generate()).resolves.toMatchObject({ size: '256x256' }); // times: 1
  });

  it('server_error and unavailable: 500 and 503 server_error bodies', async () => {
    fake.setFault({ kind: 'server_error' }, 1);
    const e500 = await failure(generate());
    expect(e500).toBeInstanceOf(InternalServerError);
    expect(e500).toMatchObject({ status: 500, type: 'server_error' });
    fake.setFault({ kind: 'unavailable' }, 1);
    expect(await failure(generate())).toMatchObject({ status: 503, type: 'server_error' });
  });

  it('a fault without a count lasts until cleared', async () => {
    fake.setFault({ kind: 'server_error' });
    for (let i = 0; i < 3; i++) expect(await failure(generate())).toMatchObject({ status: 500 });
    fake.setFault(null);
    await expect(generate()).resolves.toBeTruthy();
  });

  it('reset: the socket closes without a response', async () => {
    fake.setFault({ kind: 'reset' }, 1);
    const error = await failure(generate());
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(fake.requests[0]?.status).toBeUndefined();
    expect(fake.requests[0]?.aborted).toBe(false);
  });

  it('hang: never answers, so the client times out (and the request is marked aborted)', async () => {
    fake.setFault({ kind: 'hang' }, 1);
    const error = await failure(generate({ timeout: 150 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await eventually(() => fake.requests[0]?.aborted === true);
    expect(fake.requests[0]?.status).toBeUndefined();
  });

  it('close() ends hanging requests', async () => {
    const other = await startFakeOpenAI();
    const otherClient = new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: other.url, maxRetries: 0, timeout: 10_000 });
    other.setFault({ kind: 'hang' });
    const pending = failure(otherClient.images.generate({ model: 'gpt-image-2', prompt: 'x' }));
    await eventually(() => other.requests.length === 1);
    const started = Date.now();
    await other.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('truncated_stream: partial events, then the stream ends with no completed event', async () => {
    fake.setFault({ kind: 'truncated_stream' }, 1);
    const stream = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256', stream: true, partial_images: 2 });
    const types = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['image_generation.partial_image', 'image_generation.partial_image']);
  });

  it('truncated_stream without streaming: the JSON body stops half way', async () => {
    fake.setFault({ kind: 'truncated_stream' }, 1);
    const error = await failure(generate());
    expect(error).toBeInstanceOf(Error);
    expect(fake.requests[0]).toMatchObject({ status: 200, aborted: false });
  });

  it('moderation_blocked: 400 image_generation_user_error', async () => {
    fake.setFault({ kind: 'moderation_blocked' }, 1);
    const error = await failure(generate());
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'image_generation_user_error', code: 'moderation_blocked', param: null });
    expect((error as Error).message).toContain('rejected by the safety system');
  });

  it('invalid_json: 200 with a body that does not parse', async () => {
    fake.setFault({ kind: 'invalid_json' }, 1);
    const error = await failure(generate());
    expect(error).toBeInstanceOf(SyntaxError);
    expect(fake.requests[0]?.status).toBe(200);
  });

  it('content faults wait for a valid request; reset() clears faults and records', async () => {
    fake.setFault({ kind: 'moderation_blocked' }, 1);
    expect(await failure(client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '10x10' }))).toMatchObject({ param: 'size' });
    expect(await failure(generate())).toMatchObject({ code: 'moderation_blocked' });
    fake.setFault({ kind: 'server_error' });
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    await expect(generate()).resolves.toBeTruthy();
  });
});

describe('serve.ts (demo mode entry)', () => {
  it('starts on PORT with FAKE_OPENAI_KEY and prints its url; FAKE_OPENAI_NO_STREAM_MODELS refuses their streams', async () => {
    const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/fake-openai/serve.ts'], {
      env: { ...process.env, PORT: '0', FAKE_OPENAI_KEY: 'sk-demo-key', FAKE_OPENAI_LATENCY_MS: '0', FAKE_OPENAI_NO_STREAM_MODELS: 'gpt-image-2.5-flare, gpt-image-2.5-sunburst' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout! });
      const [line] = (await Promise.race([
        once(lines, 'line'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('serve.ts did not start in time')), 10_000)),
      ])) as [string];
      const url = /^fake-openai listening on (http:\/\/127\.0\.0\.1:\d+\/v1)$/.exec(line)?.[1];
      expect(url).toBeDefined();
      const demo = new OpenAI({ apiKey: 'sk-demo-key', baseURL: url, maxRetries: 0 });
      const res = await demo.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '256x256' });
      expect(res.size).toBe('256x256');
      const refused = await failure(demo.images.generate({ model: 'gpt-image-2.5-sunburst', prompt: 'x', stream: true }));
      expect(refused).toMatchObject({ status: 400, param: 'stream' });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});

describe('freshImages', () => {
  it('gives each request images of its own, as the real API does; by default the same request gives the same image', async () => {
    const fresh = await startFakeOpenAI({ latencyMs: 5, freshImages: true });
    try {
      const freshClient = new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: fresh.url, maxRetries: 0 });
      const ask = (c: OpenAI) => c.images.generate({ model: 'gpt-image-2', prompt: 'A red bicycle', size: '256x256', quality: 'low' }).then((r) => r.data?.[0]?.b64_json);
      expect(await ask(freshClient)).not.toBe(await ask(freshClient));
      expect(await ask(client)).toBe(await ask(client));
    } finally {
      await fresh.close();
    }
  });
});
