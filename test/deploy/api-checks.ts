// What every deployment must do for a user, whatever the platform: the official SDK generates,
// edits and streams through it, usage adds up across requests (one app per instance, not per
// request), the panel's preflight passes, and the OpenAI key — never the client's token — goes
// upstream. Each platform test points these at its own entry.
import OpenAI, { toFile } from 'openai';
import { expect } from 'vitest';
import { usageSummarySchema } from '../../backend/contract';
import { ALICE_SECRET, decodeB64 } from '../../backend/test-helpers/stack';
import type { FakeOpenAI } from '../fake-openai/server';
import { imageSize, pngOf } from '../support/images';

export interface Target {
  /** backend origin, no trailing slash (any origin when `fetch` is in-process) */
  origin: string;
  /** how requests reach the deployment; default: the network */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  fake: FakeOpenAI;
}

export function sdkClient(target: Target): OpenAI {
  return new OpenAI({
    apiKey: ALICE_SECRET,
    baseURL: `${target.origin}/v1`,
    maxRetries: 0,
    timeout: 20_000,
    ...(target.fetch ? { fetch: target.fetch } : {}),
  });
}

function call(target: Target, path: string, init: RequestInit = {}): Promise<Response> {
  return (target.fetch ?? fetch)(`${target.origin}${path}`, init);
}

export async function checkGenerate(target: Target): Promise<void> {
  const { data, response } = await sdkClient(target)
    .images.generate({ prompt: 'a lighthouse at dusk', size: '1024x1536', quality: 'low' })
    .withResponse();
  expect(imageSize(decodeB64(data.data![0]!.b64_json!))).toMatchObject({ format: 'png', width: 1024, height: 1536 });
  expect((data as typeof data & { framefill: { cost_usd: number } }).framefill.cost_usd).toBeGreaterThan(0);
  expect(response.headers.get('access-control-allow-origin')).toBe('*');
  const upstream = target.fake.requests.at(-1)!;
  expect(upstream.authorized).toBe(true); // the deployment's OpenAI key went upstream…
  expect(JSON.stringify(upstream.headers)).not.toContain(ALICE_SECRET); // …and the client's token did not
}

export async function checkStream(target: Target): Promise<void> {
  const stream = await sdkClient(target).images.generate({ prompt: 'a cat', stream: true, partial_images: 2, quality: 'low', size: '1024x1024' });
  const types: string[] = [];
  let final: { b64_json: string; framefill?: { cost_usd: number } } | undefined;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'image_generation.completed') final = event as typeof event & { framefill?: { cost_usd: number } };
  }
  expect(types.filter((t) => t === 'image_generation.partial_image').length).toBeGreaterThanOrEqual(1);
  expect(types.at(-1)).toBe('image_generation.completed');
  expect(imageSize(decodeB64(final!.b64_json))).toMatchObject({ width: 1024, height: 1024 });
  expect(final!.framefill?.cost_usd).toBeGreaterThan(0);
}

export async function checkEdit(target: Target): Promise<void> {
  const reference = await toFile(pngOf(512, 512, 4), 'frame.png', { type: 'image/png' });
  const result = await sdkClient(target).images.edit({ image: reference, prompt: 'make it night', quality: 'low', size: '1024x1024' });
  expect(imageSize(decodeB64(result.data![0]!.b64_json!))).toMatchObject({ width: 1024, height: 1024 });
  const upstream = target.fake.requests.at(-1)!;
  expect(upstream.route).toBe('edits');
  expect(upstream.files).toHaveLength(1);
  expect(upstream.files[0]).toMatchObject({ format: 'png', width: 512, height: 512 });
}

/** Month-to-date usage counts `atLeast` images: state survives between requests. Bounded poll. */
export async function checkUsage(target: Target, atLeast: number): Promise<void> {
  let images = -1;
  for (let i = 0; i < 50 && images < atLeast; i++) {
    const res = await call(target, '/v1/usage', { headers: { authorization: `Bearer ${ALICE_SECRET}` } });
    expect(res.status).toBe(200);
    images = usageSummarySchema.parse(await res.json()).images;
    if (images < atLeast) await new Promise((r) => setTimeout(r, 20));
  }
  expect(images).toBeGreaterThanOrEqual(atLeast);
}

export async function checkPanelBasics(target: Target): Promise<void> {
  const health = await call(target, '/healthz');
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ ok: true });
  // The panel's iframe has origin `null`; its preflight must pass.
  const preflight = await call(target, '/v1/images/generations', {
    method: 'OPTIONS',
    headers: { origin: 'null', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  const anonymous = await call(target, '/v1/images/generations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"x"}' });
  expect(anonymous.status).toBe(401);
}
