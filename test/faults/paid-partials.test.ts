// Defect 3 of issue 11: streams cut by the client were free. A real backend (child process) in
// front of the fake OpenAI, which sends partial images quickly and the final image only after
// seconds: the client reads two partial previews and hangs up. What was delivered must show in
// /v1/usage with its cost, and count against the daily image limit; a non-stream call abandoned
// after it went upstream is charged the documented minimum (pricing.ts abandonedCallTokens).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fake-openai/server';
import type { BackendProcess } from '../hardening/child-process';
import { startBackendBehind } from './hostile-upstream';
import { errorBodySchema, usageSummarySchema, type UsageSummary } from '../../backend/contract';
import { outputTokensFor, PARTIAL_IMAGE_OUTPUT_TOKENS, USD_PER_MILLION } from '../../backend/pricing';

const OPENAI_KEY = 'sk-fake-paid-4b9e2c7a1d3f8065';
const TOKEN = 'ff-paid-8d2a6c4e0b1f3957';

let fake: FakeOpenAI;
const backends: BackendProcess[] = [];

beforeAll(async () => {
  // Partials every second, the final image 6 s after the request: a cut after two partials lands
  // a second before the third partial (so exactly two are delivered, even on a loaded CI machine,
  // where 250 ms was seen to be too little) and long before any completed event.
  fake = await startFakeOpenAI({ apiKey: OPENAI_KEY, latencyMs: 6_000, partialIntervalMs: 1_000 });
});
afterAll(async () => {
  await Promise.all(backends.map((b) => b.stop()));
  await fake.close();
});

async function backend(extra: Record<string, string> = {}): Promise<BackendProcess> {
  const started = await startBackendBehind(fake.url, OPENAI_KEY, TOKEN, extra);
  backends.push(started);
  return started;
}

const auth = { authorization: `Bearer ${TOKEN}` };
const PROMPT = 'a lighthouse at dusk, long exposure';

function generate(on: BackendProcess, body: Record<string, unknown>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${on.url}/v1/images/generations`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: PROMPT, quality: 'low', size: '1024x1024', ...body }),
    ...(signal ? { signal } : {}),
  });
}

async function usage(on: BackendProcess): Promise<UsageSummary> {
  const res = await fetch(`${on.url}/v1/usage`, { headers: auth });
  expect(res.status).toBe(200);
  return usageSummarySchema.parse(await res.json());
}

/** Polls /v1/usage until `check` holds (a cut stream settles once the backend sees it end); bounded. */
async function usageWhen(on: BackendProcess, check: (u: UsageSummary) => boolean, timeoutMs = 5_000): Promise<UsageSummary> {
  const deadline = Date.now() + timeoutMs;
  let last = await usage(on);
  while (!check(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    last = await usage(on);
  }
  return last;
}

/** Streams one image with three partials and hangs up after the `keep`-th partial arrived. Returns the partials seen. */
async function cutStream(on: BackendProcess, keep: number): Promise<{ status: number; partials: number }> {
  const controller = new AbortController();
  const res = await generate(on, { stream: true, partial_images: 3 }, controller.signal);
  if (res.status !== 200) {
    await res.text();
    return { status: res.status, partials: 0 };
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let partials = 0;
  // Bounded: the stream has at most 3 partials and 1 completed event.
  for (let reads = 0; reads < 100_000 && partials < keep; reads++) {
    const next = await reader.read();
    if (next.done) break;
    text += decoder.decode(next.value, { stream: true });
    partials = text.split('event: image_generation.partial_image').length - 1;
  }
  expect(text).not.toContain('image_generation.completed');
  controller.abort();
  await reader.cancel().catch(() => {});
  return { status: res.status, partials };
}

describe('a stream cut by the client is charged for what it delivered', () => {
  it('two partials delivered: /v1/usage shows the request, the 2 partials and their cost', async () => {
    const on = await backend();
    const cut = await cutStream(on, 2);
    expect(cut).toEqual({ status: 200, partials: 2 });
    const after = await usageWhen(on, (u) => u.requests > 0);
    expect(after).toMatchObject({ requests: 1, partial_images: 2 });
    // Two partials' output tokens plus the prompt's input, at OpenAI's prices.
    const partialsUsd = (2 * PARTIAL_IMAGE_OUTPUT_TOKENS * USD_PER_MILLION.imageOutput) / 1e6;
    expect(after.cost_usd).toBeGreaterThanOrEqual(partialsUsd);
    expect(after.cost_usd).toBeLessThan(partialsUsd + 0.001);
  });

  it('cut streams count against the daily image limit: no more partials once it is reached', async () => {
    const on = await backend({ FRAMEFILL_DAILY_IMAGES: '2' });
    const served: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const cut = await cutStream(on, 2);
      statuses.push(cut.status);
      served.push(cut.partials);
      // Wait for this cut to settle before the next one asks.
      if (cut.status === 200) await usageWhen(on, (u) => u.requests === i + 1);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(served).toEqual([2, 2, 0, 0]);
    expect(await usage(on)).toMatchObject({ requests: 2, partial_images: 4 });
  }, 40_000);
});

describe('a non-stream call abandoned after it went upstream', () => {
  it('is charged the published price of the images asked for (OpenAI generates them anyway)', async () => {
    const on = await backend();
    const controller = new AbortController();
    const before = fake.requests.length;
    const pending = generate(on, { n: 2 }, controller.signal).catch(() => null);
    const deadline = Date.now() + 5_000;
    while (fake.requests.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fake.requests.length).toBe(before + 1);
    controller.abort();
    await pending;
    const after = await usageWhen(on, (u) => u.requests > 0);
    const published = (2 * outputTokensFor('low', 1024, 1024) * USD_PER_MILLION.imageOutput) / 1e6;
    expect(after.requests).toBe(1);
    expect(after.images).toBe(0);
    expect(after.cost_usd).toBeGreaterThanOrEqual(published);
    expect(after.cost_usd).toBeLessThan(published + 0.001);
  });

  it('a request refused before it went upstream costs nothing', async () => {
    const on = await backend();
    const res = await generate(on, { quality: 'ultra' });
    expect(res.status).toBe(400);
    errorBodySchema.parse(await res.json());
    expect(await usage(on)).toMatchObject({ requests: 0, cost_usd: 0 });
  });
});
