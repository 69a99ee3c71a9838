// The fake serves today's family as OpenAI does, driven with the official SDK: the 2.5 models and
// their xhigh/max qualities (refused by gpt-image-2), transparent images with real alpha, the
// `user` field as sent, and models that refuse streaming.
import OpenAI, { BadRequestError, toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outputTokensFor } from '../../backend/pricing.js';
import { pngAlpha } from '../fake-figma/png-alpha.js';
import { pngOf } from '../support/images.js';
import { DEFAULT_API_KEY, startFakeOpenAI, type FakeOpenAI } from './server.js';
import { sniffImage } from './sniff.js';
import { FAKE_OUTPUT_TOKENS_1024 } from './usage.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ latencyMs: 10, partialIntervalMs: 2, noStreamModels: ['gpt-image-2.5-sunburst'] });
  client = new OpenAI({ apiKey: DEFAULT_API_KEY, baseURL: fake.url, maxRetries: 0 });
});
afterEach(() => {
  fake.reset();
  fake.setNoStreamModels(['gpt-image-2.5-sunburst']);
});
afterAll(async () => {
  await fake.close();
});

/** openai 6.49 predates the 2.5 family's qualities; the wire takes them all the same. */
const quality = (q: 'xhigh' | 'max') => q as unknown as 'high';
const bytesOf = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64');

/** The error a call fails with (vitest's `rejects` cannot hand it back for several checks). */
const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected the call to fail');
  },
  (error: unknown) => error,
);

describe('xhigh and max', () => {
  it('a Flare generation at xhigh says what it made and bills more output tokens than high, by area', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', size: '1536x1024', quality: quality('xhigh') });
    expect(res).toMatchObject({ quality: 'xhigh', size: '1536x1024', background: 'opaque', output_format: 'png' });
    const out = Math.ceil(FAKE_OUTPUT_TOKENS_1024.xhigh * 1.5);
    expect(res.usage?.output_tokens).toBe(out);
    expect(out).toBeGreaterThan(outputTokensFor('high', 1536, 1024));
    // Unlike the backend's default ceiling, so a charge from usage is told apart from the estimate.
    expect(out).not.toBe(outputTokensFor('xhigh', 1536, 1024));
    expect(sniffImage(bytesOf(res.data?.[0]?.b64_json))).toEqual({ format: 'png', width: 1536, height: 1024 });
  });

  it('a Sunburst snapshot edit at max bills max tokens, dearer than xhigh', async () => {
    const res = await client.images.edit({
      model: 'gpt-image-2.5-sunburst-2026-09-08',
      prompt: 'x',
      image: await toFile(pngOf(64, 64), 'a.png', { type: 'image/png' }),
      size: '1024x1024',
      quality: quality('max'),
    });
    expect(res).toMatchObject({ quality: 'max', size: '1024x1024' });
    expect(res.usage?.output_tokens).toBe(FAKE_OUTPUT_TOKENS_1024.max);
    expect(FAKE_OUTPUT_TOKENS_1024.max).toBeGreaterThan(FAKE_OUTPUT_TOKENS_1024.xhigh);
    expect(fake.requests[0]?.fields).toMatchObject({ model: 'gpt-image-2.5-sunburst-2026-09-08', quality: 'max' });
  });

  it.each([
    ['gpt-image-2', 'xhigh'],
    ['gpt-image-2-2026-04-21', 'max'],
    ['gpt-image-1.5', 'xhigh'],
  ] as const)('%s at %s: 400 naming quality, in OpenAI words', async (model, q) => {
    const error = await failure(client.images.generate({ model, prompt: 'x', quality: quality(q) }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'quality', code: 'unsupported_value', type: 'invalid_request_error' });
    expect((error as BadRequestError).error).toMatchObject({ message: `The model '${model}' does not support quality '${q}'.` });
    expect(fake.requests[0]?.status).toBe(400);
  });
});

describe('transparent backgrounds', () => {
  it('gpt-image-2 makes an RGBA PNG: an opaque subject in the middle, fully transparent margins', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2', prompt: 'a sticker', size: '256x128', background: 'transparent', output_format: 'png' });
    expect(res).toMatchObject({ background: 'transparent', output_format: 'png', size: '256x128' });
    const png = bytesOf(res.data?.[0]?.b64_json);
    expect(png[25]).toBe(6); // colour type RGBA
    const alpha = pngAlpha(png);
    expect(alpha.alphaAt(128, 64)).toBe(255);
    for (const [x, y] of [[0, 0], [255, 0], [0, 127], [255, 127], [8, 64], [128, 2]] as const) expect(alpha.alphaAt(x, y)).toBe(0);
    let opaque = 0;
    for (let y = 0; y < 128; y++) for (let x = 0; x < 256; x++) if (alpha.alphaAt(x, y) === 255) opaque++;
    expect(opaque / (256 * 128)).toBeGreaterThan(0.3);
    expect(opaque / (256 * 128)).toBeLessThan(0.5);
  });

  it('an opaque request has no transparent pixel', async () => {
    const res = await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '64x64' });
    expect(res.background).toBe('opaque');
    const alpha = pngAlpha(bytesOf(res.data?.[0]?.b64_json));
    expect([alpha.alphaAt(0, 0), alpha.alphaAt(32, 32)]).toEqual([255, 255]);
  });

  it('the 2.5 models stream transparent WebP with alpha, partials included', async () => {
    const stream = await client.images.generate({
      model: 'gpt-image-2.5-flare', prompt: 'x', size: '128x128', background: 'transparent', output_format: 'webp', stream: true, partial_images: 1,
    });
    const events: { type: string; b64_json?: string; background?: string; output_format?: string }[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual(['image_generation.partial_image', 'image_generation.completed']);
    for (const event of events) {
      expect(event).toMatchObject({ background: 'transparent', output_format: 'webp' });
      const webp = bytesOf(event.b64_json);
      expect(sniffImage(webp)).toEqual({ format: 'webp', width: 128, height: 128 });
      expect((webp.readUInt32LE(21) >>> 28) & 1).toBe(1); // VP8L alpha_is_used
    }
  });

  it('JPEG cannot be transparent: 400 naming background', async () => {
    const error = await failure(client.images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', background: 'transparent', output_format: 'jpeg' }));
    expect(error).toMatchObject({ status: 400, param: 'background' });
  });
});

describe('user', () => {
  it('is recorded exactly as sent, on generations (JSON) and edits (multipart)', async () => {
    await client.images.generate({ model: 'gpt-image-2', prompt: 'x', size: '64x64', user: 'ff_u_alpha' });
    await client.images.edit({ model: 'gpt-image-2', prompt: 'x', image: await toFile(pngOf(16, 16), 'a.png', { type: 'image/png' }), user: 'ff_u_beta' });
    expect(fake.requests.map((r) => r.fields.user)).toEqual(['ff_u_alpha', 'ff_u_beta']);
  });
});

describe('models that refuse streaming', () => {
  it('answer stream: true with OpenAI’s unsupported-parameter 400 naming stream, and serve the same call without it', async () => {
    const error = await failure(client.images.generate({ model: 'gpt-image-2.5-sunburst', prompt: 'x', size: '64x64', stream: true, partial_images: 2 }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param: 'stream', code: 'unsupported_value', type: 'invalid_request_error' });
    expect((error as BadRequestError).error).toMatchObject({ message: "Streaming is not supported for model 'gpt-image-2.5-sunburst'." });
    const plain = await client.images.generate({ model: 'gpt-image-2.5-sunburst', prompt: 'x', size: '64x64' });
    expect(plain.data).toHaveLength(1);
    expect(fake.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  it('refuse edits too; other models still stream; the setter replaces the list', async () => {
    const image = await toFile(pngOf(16, 16), 'a.png', { type: 'image/png' });
    const edit = await failure(client.images.edit({ model: 'gpt-image-2.5-sunburst', prompt: 'x', image, stream: true }));
    expect(edit).toMatchObject({ status: 400, param: 'stream' });
    const flare = await client.images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', size: '64x64', stream: true });
    for await (const event of flare) expect(event.type).toBe('image_generation.completed');

    fake.setNoStreamModels(['gpt-image-2.5-flare']);
    expect(await failure(client.images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', stream: true }))).toMatchObject({ param: 'stream' });
    const sunburst = await client.images.generate({ model: 'gpt-image-2.5-sunburst', prompt: 'x', size: '64x64', stream: true });
    for await (const event of sunburst) expect(event.type).toBe('image_generation.completed');
    fake.setNoStreamModels([]);
    const again = await client.images.generate({ model: 'gpt-image-2.5-flare', prompt: 'x', size: '64x64', stream: true });
    for await (const event of again) expect(event.type).toBe('image_generation.completed');
  });
});
