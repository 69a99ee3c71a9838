import { describe, expect, it, vi } from 'vitest';
import { BackendClient, retryDecision, type ImageJobRequest } from './backend-client';
import { BackendError } from './backend-error';
import { describeError } from './error-messages';
import { isAbortError } from './concurrency';
import type { RetryWait } from './retry';
import { modelList, modelsResponse } from '../test/model-list';

const URL_BASE = 'https://ff.example.test';
const request: ImageJobRequest = { kind: 'generate', prompt: 'A red fox in snow', model: 'gpt-image-2', tier: 'medium', size: '1024x1024', n: 1, outputFormat: 'png' };

/** An SSE response whose body arrives in the given chunks. */
function sse(chunks: string[], init: ResponseInit = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' }, ...init });
}

const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
const errorBody = (status: number, error: { message: string; type: string; code: string | null; param?: string | null }, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ error: { param: null, ...error } }), { status, headers: { 'content-type': 'application/json', ...headers } });

function client(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, token = 'ff_test_token') {
  const fetchSpy = vi.fn(fetchImpl);
  const c = new BackendClient({ backendUrl: `${URL_BASE}/`, accessToken: token, fetch: fetchSpy as unknown as typeof fetch, sleep: async () => undefined });
  return { c, fetchSpy };
}

describe('BackendClient.createImages', () => {
  it('streams partial previews, returns the completed image and the billed cost', async () => {
    const stream = event('image_generation.partial_image', { b64_json: 'UDA=', partial_image_index: 0 }) +
      ': keep-alive\n\n' +
      event('image_generation.partial_image', { b64_json: 'UDE=', partial_image_index: 1 }) +
      event('image_generation.completed', { b64_json: 'RklOQUw=', usage: { output_tokens: 1767 }, framefill: { cost_usd: 0.0531, request_id: 'r1', model: 'gpt-image-2' } });
    // cut the stream in awkward places, including inside the JSON
    const chunks = [stream.slice(0, 7), stream.slice(7, 90), stream.slice(90, 91), stream.slice(91)];
    const { c, fetchSpy } = client(async () => sse(chunks));
    const partials: number[] = [];
    const result = await c.createImages(request, { requestId: 'req-1', onPartial: (_b64, i) => partials.push(i) });
    expect(result).toEqual({ images: ['RklOQUw='], costUsd: 0.0531, model: 'gpt-image-2' });
    expect(partials).toEqual([0, 1]);

    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${URL_BASE}/v1/images/generations`);
    const headers = init.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer ff_test_token');
    expect(headers['idempotency-key']).toBe('req-1');
    expect(JSON.parse(init.body as string)).toEqual({ model: 'gpt-image-2', prompt: 'A red fox in snow', n: 1, quality: 'medium', size: '1024x1024', output_format: 'png', stream: true, partial_images: 2 });
  });

  it('asks for no previews at Low: each is billed 100 output tokens, and two would double a Low image', async () => {
    const { c, fetchSpy } = client(async () => sse([event('image_generation.completed', { b64_json: 'QQ==' })]));
    const result = await c.createImages({ ...request, tier: 'low' }, { requestId: 'req-low' });
    expect(result.images).toEqual(['QQ==']);
    expect(JSON.parse(fetchSpy.mock.calls[0]![1].body as string)).toMatchObject({ quality: 'low', stream: true, partial_images: 0 });
  });

  it('sends edits as multipart with the target first, the mask and JPEG compression', async () => {
    const { c, fetchSpy } = client(async () => sse([event('image_edit.completed', { b64_json: 'QQ==' })], { headers: { 'content-type': 'text/event-stream', 'x-framefill-cost-usd': '0.07' } }));
    const result = await c.createImages(
      {
        ...request,
        kind: 'edit',
        outputFormat: 'jpeg',
        images: [
          { bytes: new Uint8Array([1, 2]), type: 'image/png', name: 'target.png' },
          { bytes: new Uint8Array([3]), type: 'image/jpeg', name: 'reference-1.jpg' },
        ],
        mask: new Uint8Array([9]),
      },
      { requestId: 'req-2' },
    );
    expect(result.costUsd).toBe(0.07);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${URL_BASE}/v1/images/edits`);
    const form = init.body as FormData;
    const files = form.getAll('image[]') as File[];
    expect(files.map((f) => f.name)).toEqual(['target.png', 'reference-1.jpg']);
    expect((form.get('mask') as File).type).toBe('image/png');
    expect(form.get('output_format')).toBe('jpeg');
    expect(form.get('output_compression')).toBe('90');
    expect(form.get('partial_images')).toBe('2');
    expect((init.headers as Record<string, string>)['content-type']).toBeUndefined();
  });

  it('accepts a plain JSON answer (an idempotent replay) with the cost header', async () => {
    const { c } = client(async () => new Response(JSON.stringify({ created: 1, data: [{ b64_json: 'QQ==' }, { b64_json: 'Qg==' }] }), { headers: { 'content-type': 'application/json', 'x-framefill-cost-usd': '0.1' } }));
    expect(await c.createImages({ ...request, n: 2 }, { requestId: 'r' })).toEqual({ images: ['QQ==', 'Qg=='], costUsd: 0.1, model: null });
  });

  it('reports a stream that ends without a completed image as dropped', async () => {
    const { c } = client(async () => sse([event('image_generation.partial_image', { b64_json: 'UDA=', partial_image_index: 0 })]));
    const error = await c.createImages(request, { requestId: 'r' }).catch((e) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(describeError(error)).toMatchObject({ message: 'The connection dropped before the image finished.', sameRequest: true });
  });

  it('turns a stream error event into the plain moderation message', async () => {
    const { c } = client(async () => sse([event('error', { error: { message: 'Your request was rejected by the safety system.', type: 'invalid_request_error', code: 'moderation_blocked' } })]));
    const error = await c.createImages(request, { requestId: 'r' }).catch((e) => e);
    expect(describeError(error).message).toMatch(/safety system blocked this prompt.*Rephrase/);
  });

  it('retries network errors and 502/503 with the same idempotency key, then succeeds', async () => {
    let calls = 0;
    const { c, fetchSpy } = client(async () => {
      calls++;
      if (calls === 1) throw new TypeError('Failed to fetch');
      if (calls === 2) return errorBody(502, { message: 'upstream unreachable', type: 'server_error', code: 'upstream_unreachable' });
      return sse([event('image_generation.completed', { b64_json: 'QQ==' })]);
    });
    const waits: RetryWait[] = [];
    const result = await c.createImages(request, { requestId: 'same', onWait: (w) => waits.push(w) });
    expect(result.images).toEqual(['QQ==']);
    expect(waits.map((w) => w.reason)).toEqual(['unreachable', 'transient']);
    expect(fetchSpy.mock.calls.map(([, init]) => (init.headers as Record<string, string>)['idempotency-key'])).toEqual(['same', 'same', 'same']);
  });

  it('waits out a rate limit for Retry-After seconds and says so', async () => {
    let calls = 0;
    const { c } = client(async () => (++calls === 1 ? errorBody(429, { message: 'Rate limit', type: 'rate_limit_error', code: 'rate_limit_exceeded' }, { 'retry-after': '7' }) : sse([event('image_generation.completed', { b64_json: 'QQ==' })])));
    const waits: RetryWait[] = [];
    await c.createImages(request, { requestId: 'r', onWait: (w) => waits.push(w) });
    expect(waits).toEqual([{ reason: 'rate-limit', delayMs: 7000, attempt: 1 }]);
  });

  it('gives up on an unreachable backend after two quick retries, saying so on each', async () => {
    const { c, fetchSpy } = client(async () => { throw new TypeError('Failed to fetch'); });
    const waits: RetryWait[] = [];
    const error = await c.createImages(request, { requestId: 'r', onWait: (w) => waits.push(w) }).catch((e) => e);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    expect(waits.map((w) => [w.reason, w.attempt, w.retries])).toEqual([['unreachable', 1, 2], ['unreachable', 2, 2]]);
    expect(describeError(error)).toMatchObject({ message: `Can't reach the Framefill backend at ${URL_BASE} — check the URL in Settings.`, settings: true });
  });

  it('keeps retrying 502/503 for longer (the backend is there, OpenAI or a deploy is not)', async () => {
    const { c, fetchSpy } = client(async () => errorBody(503, { message: 'busy', type: 'server_error', code: null }));
    await c.createImages(request, { requestId: 'r' }).catch((e) => e);
    expect(fetchSpy).toHaveBeenCalledTimes(4);
  });

  it('spends at most 4 s retrying a backend it cannot reach, whatever the jitter', () => {
    const network = new BackendError('Failed to fetch', { kind: 'network', url: URL_BASE });
    for (const random of [() => 0, () => 0.5, () => 0.999]) {
      const delays: number[] = [];
      for (let attempt = 1; attempt < 10; attempt++) {
        const wait = retryDecision(network, attempt, random);
        if (!wait) break;
        delays.push(wait.delayMs);
      }
      expect(delays).toHaveLength(2);
      expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4000);
    }
  });

  it('does not retry a refused token, a spent budget or moderation', async () => {
    for (const [status, code, expected] of [
      [401, 'invalid_api_key', 'The access token was refused — check it in Settings.'],
      [402, 'budget_exceeded', "Your team's monthly image budget is used up"],
      [429, 'budget_exceeded', "Your team's monthly image budget is used up"],
      [400, 'moderation_blocked', "OpenAI's safety system blocked this prompt"],
      [504, 'upstream_timeout', 'OpenAI took too long'],
      [413, null, 'The reference images are too large'],
    ] as const) {
      const { c, fetchSpy } = client(async () => errorBody(status, { message: 'nope', type: 'invalid_request_error', code }));
      const error = await c.createImages(request, { requestId: 'r' }).catch((e) => e);
      expect(fetchSpy).toHaveBeenCalledTimes(1);
      expect(describeError(error).message).toContain(expected);
    }
  });

  it('explains an invalid parameter with the backend’s own words', async () => {
    const { c } = client(async () => errorBody(400, { message: 'Invalid size 1000x1000.', type: 'invalid_request_error', code: 'invalid_value', param: 'size' }));
    expect(describeError(await c.createImages(request, { requestId: 'r' }).catch((e) => e)).message).toBe('The size was refused: Invalid size 1000x1000.');
  });

  it('cancels a running stream', async () => {
    const controller = new AbortController();
    const { c } = client(async (_url, init) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(stream) {
            stream.enqueue(new TextEncoder().encode(event('image_generation.partial_image', { b64_json: 'UDA=', partial_image_index: 0 })));
            init.signal?.addEventListener('abort', () => stream.error(new DOMException('aborted', 'AbortError')));
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
    );
    const run = c.createImages(request, { requestId: 'r', signal: controller.signal, onPartial: () => controller.abort() });
    await expect(run).rejects.toSatisfy(isAbortError);
  });
});

describe('BackendClient.createImages with a model', () => {
  it('names the model and tier, and asks a transparent background as PNG even where HD would ask JPEG', async () => {
    const { c, fetchSpy } = client(async () => sse([event('image_generation.completed', { b64_json: 'QQ==' })]));
    await c.createImages({ ...request, model: 'gpt-image-2.5-flare', tier: 'xhigh', outputFormat: 'jpeg', transparent: true }, { requestId: 'r' });
    const body = JSON.parse(fetchSpy.mock.calls[0]![1].body as string);
    expect(body).toMatchObject({ model: 'gpt-image-2.5-flare', quality: 'xhigh', background: 'transparent', output_format: 'png' });
    expect(body).not.toHaveProperty('output_compression');
  });

  it('sends an edit\'s model and background as form fields', async () => {
    const { c, fetchSpy } = client(async () => sse([event('image_edit.completed', { b64_json: 'QQ==' })]));
    await c.createImages({ ...request, kind: 'edit', model: 'gpt-image-2.5-sunburst', tier: 'max', transparent: true, images: [{ bytes: new Uint8Array([1]), type: 'image/png', name: 'target.png' }] }, { requestId: 'r' });
    const form = fetchSpy.mock.calls[0]![1].body as FormData;
    expect([form.get('model'), form.get('quality'), form.get('background'), form.get('output_format')]).toEqual(['gpt-image-2.5-sunburst', 'max', 'transparent', 'png']);
  });

  it('asks no background when not transparent', async () => {
    const { c, fetchSpy } = client(async () => sse([event('image_generation.completed', { b64_json: 'QQ==' })]));
    await c.createImages(request, { requestId: 'r' });
    expect(JSON.parse(fetchSpy.mock.calls[0]![1].body as string)).not.toHaveProperty('background');
  });
});

describe('BackendClient.models', () => {
  it('reads the allowed models with their capabilities from GET /v1/models, authenticated', async () => {
    const served = modelList(['gpt-image-2', 'gpt-image-2.5-flare']);
    const { c, fetchSpy } = client(async () => modelsResponse(served));
    expect(await c.models()).toEqual(served);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${URL_BASE}/v1/models`);
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer ff_test_token');
  });

  it('offers gpt-image-2 alone at published prices when the backend predates /v1/models (404)', async () => {
    const { c } = client(async () => errorBody(404, { message: 'Not found', type: 'invalid_request_error', code: 'not_found' }));
    const list = await c.models();
    expect(list.data.map((m) => m.id)).toEqual(['gpt-image-2']);
    expect(list.data[0]!.framefill?.prices.qualities).toMatchObject({ low: { usd_per_1024: 0.006, basis: 'published' }, high: { usd_per_1024: 0.211, basis: 'published' } });
  });

  it('fails on other errors and on a body that is not a model list', async () => {
    const { c } = client(async () => errorBody(401, { message: 'bad token', type: 'invalid_request_error', code: 'invalid_api_key' }));
    expect(await c.models().catch((e) => e)).toMatchObject({ status: 401 });
    const { c: html } = client(async () => new Response('<html></html>'));
    expect(await html.models().catch((e) => e)).toMatchObject({ kind: 'invalid-response' });
  });
});

describe('BackendClient extras', () => {
  it('reads month-to-date usage', async () => {
    const usage = { object: 'framefill.usage', token_name: 'Design team', month: '2026-11', images: 12, requests: 9, input_tokens: 100, output_tokens: 2000, cost_usd: 1.23, budget_usd: 50 };
    const { c, fetchSpy } = client(async () => new Response(JSON.stringify(usage), { headers: { 'content-type': 'application/json' } }));
    expect(await c.usage()).toEqual(usage);
    expect(fetchSpy.mock.calls[0]![0]).toBe(`${URL_BASE}/v1/usage`);
  });

  it('says when a URL is not a Framefill backend', async () => {
    const { c } = client(async () => new Response('<html>hello</html>', { headers: { 'content-type': 'text/html' } }));
    expect(describeError(await c.usage().catch((e) => e)).message).toMatch(/doesn't answer like a Framefill backend/);
  });

  it('cancels a run with DELETE /v1/results/{id}: cancelled, deleted or gone', async () => {
    const answers = [
      new Response(JSON.stringify({ object: 'framefill.result', id: 'x/1', status: 'cancelled' })),
      new Response(JSON.stringify({ object: 'framefill.result', id: 'x', status: 'deleted' })),
      errorBody(404, { message: 'unknown', type: 'invalid_request_error', code: 'not_found' }),
    ];
    const { c, fetchSpy } = client(async () => answers.shift()!);
    expect(await c.cancel('x/1')).toBe('cancelled');
    expect(await c.cancel('x')).toBe('deleted');
    expect(await c.cancel('x')).toBe('gone');
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${URL_BASE}/v1/results/x%2F1`);
    expect(init.method).toBe('DELETE');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer ff_test_token');
  });

  it('gives up a cancel the backend does not answer within its timeout', async () => {
    const { c } = client((_url, init) => new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason))));
    const started = Date.now();
    await expect(c.cancel('x', 50)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('recovers results: done, still running, or gone', async () => {
    const answers = [
      new Response(JSON.stringify({ created: 1, data: [{ b64_json: 'QQ==' }], framefill: { cost_usd: 0.05, request_id: 'x', model: 'gpt-image-2' } }), { status: 200 }),
      new Response(JSON.stringify({ object: 'framefill.result', status: 'in_progress', id: 'x' }), { status: 202 }),
      errorBody(404, { message: 'unknown', type: 'invalid_request_error', code: 'not_found' }),
      errorBody(404, { message: 'paid for, no longer kept', type: 'invalid_request_error', code: 'result_not_retained' }),
    ];
    const { c, fetchSpy } = client(async () => answers.shift()!);
    expect(await c.result('x/1')).toEqual({ status: 'done', result: { images: ['QQ=='], costUsd: 0.05, model: 'gpt-image-2' } });
    expect(await c.result('x')).toEqual({ status: 'running' });
    expect(await c.result('x')).toEqual({ status: 'gone' });
    // finished and charged, its images dropped by the backend: the panel must not say "not charged"
    expect(await c.result('x')).toEqual({ status: 'gone', notKept: true });
    expect(fetchSpy.mock.calls[0]![0]).toBe(`${URL_BASE}/v1/results/x%2F1`);
  });
});

describe('BackendClient overnight batches (issue 16)', () => {
  const batch = {
    object: 'framefill.batch', id: 'fb_1', status: 'in_progress', created_at: 1, discount: 0.5, reserved_usd: 0.04, cost_usd: 0,
    progress: { total: 1, completed: 0, failed: 0 },
    items: [{ id: 'it-1', kind: 'generation', status: 'pending', cost_usd: null, error: null }],
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('submits one POST with every item, reads the batch, cancels with DELETE, and reads an unknown batch as null', async () => {
    const answers = [json(batch, 202), json(batch), json({ ...batch, status: 'cancelled' }), errorBody(404, { message: 'No batch fb_1', type: 'invalid_request_error', code: 'not_found' })];
    const { c, fetchSpy } = client(async () => answers.shift()!);
    const item = { id: 'it-1', kind: 'generation' as const, prompt: 'A kettle', quality: 'low', size: '1024x1024' };
    expect(await c.submitBatch([item], 'sched-1')).toMatchObject({ id: 'fb_1', discount: 0.5, reserved_usd: 0.04 });
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${URL_BASE}/v1/framefill/batches`);
    expect(new Headers(init.headers).get('idempotency-key')).toBe('sched-1');
    expect(JSON.parse(init.body as string)).toEqual({ items: [item] });
    expect((await c.batch('fb_1'))?.status).toBe('in_progress');
    expect((await c.cancelBatch('fb_1'))?.status).toBe('cancelled');
    expect(fetchSpy.mock.calls[2]![1].method).toBe('DELETE');
    expect(await c.batch('fb_1')).toBeNull();
  });

  it('refuses a body that is not a batch', async () => {
    const { c } = client(async () => json({ object: 'list' }, 202));
    await expect(c.submitBatch([{ id: 'a', kind: 'generation', prompt: 'x' }], 'k')).rejects.toMatchObject({ kind: 'invalid-response' });
  });

  it('asks again with the same key when the answer was lost, so the backend makes one batch', async () => {
    // A backend that made the batch, then lost its answer on the way back (the network dropped).
    const made = new Map<string, typeof batch>();
    let drop = true;
    const { c, fetchSpy } = client(async (_url, init) => {
      const key = new Headers(init.headers).get('idempotency-key')!;
      const existing = made.get(key);
      if (!existing) made.set(key, { ...batch, id: `fb_${made.size + 1}` });
      if (drop) {
        drop = false;
        throw new TypeError('Failed to fetch');
      }
      return json(made.get(key), existing ? 200 : 202);
    });
    const view = await c.submitBatch([{ id: 'it-1', kind: 'generation', prompt: 'x' }], 'sched-9');
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    expect(made.size).toBe(1);
    expect(view.id).toBe('fb_1');
  });

  it('gives up after a few tries without an answer, and never resends after a refusal', async () => {
    const { c, fetchSpy } = client(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(c.submitBatch([{ id: 'it-1', kind: 'generation', prompt: 'x' }], 'k')).rejects.toMatchObject({ kind: 'network' });
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    const refused = client(async () => errorBody(402, { message: 'budget', type: 'insufficient_quota', code: 'monthly_budget_exceeded' }));
    await expect(refused.c.submitBatch([{ id: 'it-1', kind: 'generation', prompt: 'x' }], 'k')).rejects.toMatchObject({ status: 402 });
    expect(refused.fetchSpy).toHaveBeenCalledTimes(1);
  });
});
