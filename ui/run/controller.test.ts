import { describe, expect, it, vi } from 'vitest';
import { pngOf } from '../../test/support/images';
import type { PendingRun, Selection, Target, UiToSandbox } from '../../plugin/messages';
import { BackendClient } from '../lib/backend-client';
import { createLimiter } from '../lib/concurrency';
import { buildPlan, type FormChoice, type PinnedRef } from '../lib/plan';
import type { ExportRequest, Exported, PlaceHashRequest, PlaceRequest, Placed, Requester } from '../transport';
import { createRunController, isRunning } from './controller';
import type { ImageOps } from './context';

const PNG = pngOf(8, 6).toString('base64');
const choice: FormChoice = { tier: 'medium', sizeMode: 'auto', customWidth: 1024, customHeight: 1024, hd: false, variations: 1 };
const target = (id: string, empty: boolean, maskId: string | null = null): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty, maskId });

const completed = (images = 1, cost = 0.05) =>
  Array.from({ length: images }, () => `event: image_generation.completed\ndata: ${JSON.stringify({ type: 'image_generation.completed', b64_json: PNG, framefill: { cost_usd: cost / images, request_id: 'x', model: 'gpt-image-2' } })}\n\n`).join('');
const sse = (text: string) => new Response(text, { headers: { 'content-type': 'text/event-stream' } });
const errorResponse = (status: number, code: string) => new Response(JSON.stringify({ error: { message: code, type: 'invalid_request_error', param: null, code } }), { status });
const keysOf = (spy: ReturnType<typeof vi.fn>) => spy.mock.calls.map(([, init]) => ((init as RequestInit).headers as Record<string, string>)['idempotency-key']);

function setup(fetchImpl: (url: string, init: RequestInit) => Promise<Response>, options: { limit?: number } = {}) {
  const emitted: UiToSandbox[] = [];
  const warnings: string[] = [];
  let id = 0;
  const fetchSpy = vi.fn(fetchImpl);
  const requester = {
    exportNodes: vi.fn(async (req: ExportRequest): Promise<Exported> => ({
      type: 'exported',
      rid: 'r',
      images: req.nodeIds.map((nodeId: string) => ({ nodeId, bytes: new Uint8Array(pngOf(4, 4)), format: 'png' as const, width: 4, height: 4 })),
      mask: req.maskFor ? { bytes: new Uint8Array(pngOf(4, 4)), width: 4, height: 4 } : null,
    })),
    place: vi.fn(async (_request: PlaceRequest | PlaceHashRequest): Promise<Placed> => ({ type: 'placed', rid: 'r', nodeIds: ['n1'], imageHash: 'hash1', notices: [] })),
    close: vi.fn(),
  } satisfies Requester;
  const imageOps: ImageOps = {
    prepareEditUploads: vi.fn<ImageOps['prepareEditUploads']>(async (images, mask) => ({ images: images.map((i) => ({ bytes: i.bytes, type: 'image/png' as const, name: i.name })), mask: mask ? new Uint8Array([7]) : null })),
    makeThumbnail: vi.fn(async () => new Uint8Array([1, 2, 3])),
  };
  const controller = createRunController({
    emit: (m) => emitted.push(m),
    requester,
    client: () => new BackendClient({ backendUrl: 'https://ff.test', accessToken: 't', fetch: fetchSpy as unknown as typeof fetch, sleep: async () => undefined }),
    imageOps,
    limiter: createLimiter(options.limit ?? 4),
    newId: () => `id-${++id}`,
    now: () => 1_000_000,
    uploadBudget: 4 * 1024 * 1024,
    sleep: async () => undefined,
    warn: (m) => warnings.push(m),
  });
  const jobs = () => controller.store.get().jobs;
  const settled = () => vi.waitFor(() => expect(jobs().every((j) => !['queued', 'exporting', 'running', 'waiting', 'placing'].includes(j.status))).toBe(true));
  const types = () => emitted.map((m) => m.type);
  const deletes = () => fetchSpy.mock.calls.filter(([, init]) => init.method === 'DELETE').map(([url]) => url);
  return { controller, emitted, warnings, requester, imageOps, fetchSpy, jobs, settled, types, deletes };
}

const plan = (targets: Target[], form: Partial<FormChoice> = {}, pinned: PinnedRef[] = []) =>
  buildPlan({ selection: { targets, skipped: [] } satisfies Selection, pinned, choice: { ...choice, ...form }, promptChars: 10 });

describe('run controller', () => {
  it('registers the run as pending and places a single result at once (history records it on its own)', async () => {
    const t = setup(async () => sse(completed(1, 0.0481)));
    t.controller.start(plan([]), 'A red fox', 'medium');
    await t.settled();
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
    const pending = t.emitted[0] as Extract<UiToSandbox, { type: 'add-pending' }>;
    expect(pending.run).toMatchObject({ kind: 'generate', targetId: null, prompt: 'A red fox', size: '1024x1024', variations: 1 });
    expect(keysOf(t.fetchSpy)).toEqual([pending.run.requestId]);
    const place = t.requester.place.mock.calls[0]![0];
    expect(place).toMatchObject({ type: 'place', targetId: null, mode: 'one', name: 'A red fox', provenance: { costUsd: 0.0481, requestId: pending.run.requestId, size: '1024x1024' } });
    expect(t.jobs()[0]).toMatchObject({ status: 'placed', cost: { actualUsd: 0.0481 } });
  });

  it('an undone placement is no longer placed; placing it again does not charge it twice', async () => {
    const t = setup(async () => sse(completed(1, 0.0481)));
    t.controller.start(plan([]), 'A red fox', 'medium');
    await t.settled();
    expect(t.jobs()[0]).toMatchObject({ status: 'placed', results: [{ placed: true }] });
    t.controller.canvasChanged([{ rid: 'r', shown: [false] }]); // the user pressed Undo
    expect(t.jobs()[0]).toMatchObject({ status: 'done', results: [{ placed: false }] });
    await t.controller.place(t.jobs()[0]!.id, 0);
    expect(t.jobs()[0]!.status).toBe('placed');
    const costs = t.requester.place.mock.calls.map(([request]) => (request as PlaceRequest).provenance.costUsd);
    expect(costs).toEqual([0.0481, 0]);
  });

  it('exports the target first with its mask for an edit, and sends pinned references after it', async () => {
    const t = setup(async () => sse(completed()));
    t.controller.start(plan([target('t1', false, 'm1')], {}, [{ id: 'ref', name: 'Mood' }]), 'Restyle as watercolour', 'high');
    await t.settled();
    expect(t.requester.exportNodes.mock.calls[0]![0]).toMatchObject({ type: 'export', nodeIds: ['t1', 'ref'], maxSide: 2048, maskFor: 't1' });
    const [images, mask] = vi.mocked(t.imageOps.prepareEditUploads).mock.calls[0]!;
    expect(images.map((i) => i.name)).toEqual(['target.png', 'reference-1.png']);
    expect(mask).not.toBeNull();
    const [url, init] = t.fetchSpy.mock.calls[0]!;
    expect(url).toBe('https://ff.test/v1/images/edits');
    expect(((init.body as FormData).getAll('image[]') as File[]).map((f) => f.name)).toEqual(['target.png', 'reference-1.png']);
    expect((init.body as FormData).get('mask')).not.toBeNull();
    expect(t.requester.place.mock.calls[0]![0]).toMatchObject({ targetId: 't1', provenance: { referenceIds: ['ref'], tier: 'high' } });
  });

  it('waits for the user with several variations, then places all of them side by side', async () => {
    const t = setup(async () => sse(completed(3, 0.15)));
    t.controller.start(plan([target('t1', true)], { variations: 3 }), 'Poster', 'medium');
    await t.settled();
    expect(t.jobs()[0]).toMatchObject({ status: 'done' });
    expect(t.jobs()[0]!.results).toHaveLength(3);
    expect(t.requester.place).not.toHaveBeenCalled();
    await t.controller.place(t.jobs()[0]!.id, 1);
    expect(t.jobs()[0]!.status).toBe('done');
    expect(t.jobs()[0]!.results.map((r) => r.placed)).toEqual([false, true, false]);
    await t.controller.place(t.jobs()[0]!.id, 'all');
    expect(t.requester.place.mock.calls[1]![0]).toMatchObject({ mode: 'all' });
    expect((t.requester.place.mock.calls[1]![0] as PlaceRequest).images).toHaveLength(3);
    expect(t.jobs()[0]!.status).toBe('placed');
    // placing an image again records it without charging it twice
    await t.controller.place(t.jobs()[0]!.id, 0);
    // pending removed once; each placement's provenance carries its share of the cost
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
    const costs = t.requester.place.mock.calls.map(([request]) => (request as PlaceRequest).provenance.costUsd);
    expect(costs).toEqual([0.05, 0.1, 0]);
  });

  it('fails a refused token plainly, forgets the pending run, and a retry uses a new request id', async () => {
    let calls = 0;
    const t = setup(async () => (++calls === 1 ? errorResponse(401, 'invalid_api_key') : sse(completed())));
    t.controller.start(plan([]), 'Fox', 'low');
    await t.settled();
    const failed = t.jobs()[0]!;
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'The access token was refused — check it in Settings.', settings: true } });
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
    t.controller.retry(failed.id);
    await t.settled();
    expect(t.jobs()[0]!.status).toBe('placed');
    const keys = keysOf(t.fetchSpy);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('keeps a dropped run pending and retries it under the same request id', async () => {
    let calls = 0;
    const t = setup(async () => (++calls === 1 ? sse('event: image_generation.partial_image\ndata: {"type":"image_generation.partial_image","b64_json":"UDA=","partial_image_index":0}\n\n') : sse(completed())));
    t.controller.start(plan([]), 'Fox', 'low');
    await t.settled();
    expect(t.jobs()[0]).toMatchObject({ status: 'failed', error: { message: 'The connection dropped before the image finished.' } });
    expect(t.types()).toEqual(['add-pending']);
    t.controller.retry(t.jobs()[0]!.id);
    await t.settled();
    const keys = keysOf(t.fetchSpy);
    expect(keys[0]).toBe(keys[1]);
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
  });

  it('gives up a kept pending run when the user dismisses its failure', async () => {
    const t = setup(async () => sse(''));
    t.controller.start(plan([]), 'Fox', 'low');
    await t.settled();
    expect(t.types()).toEqual(['add-pending']);
    t.controller.dismiss(t.jobs()[0]!.id);
    expect(t.jobs()).toEqual([]);
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
  });

  /** POSTs hang until aborted; DELETEs get `answerDelete`. */
  const hangingPosts = (answerDelete: (url: string) => Promise<Response>) => (url: string, init: RequestInit) =>
    init.method === 'DELETE'
      ? answerDelete(url)
      : new Promise<Response>((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  const cancelled = (url: string) => Promise.resolve(new Response(JSON.stringify({ object: 'framefill.result', id: url.split('/').pop(), status: 'cancelled' })));

  it('cancels running and queued jobs, tells the backend to stop the running one, and forgets their pending entries', async () => {
    const t = setup(hangingPosts(cancelled), { limit: 1 });
    t.controller.start(plan([target('a', true), target('b', true)]), 'Fox', 'low');
    await vi.waitFor(() => expect(t.fetchSpy).toHaveBeenCalledTimes(1));
    expect(isRunning(t.controller.store.get())).toBe(true);
    expect(t.jobs().map((j) => j.status)).toEqual(['running', 'queued']);
    const sent = t.jobs()[0]!.requestId;
    t.controller.cancel();
    await t.settled();
    expect(t.jobs().map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
    // one DELETE, for the request that reached the backend; the queued job never sent one
    await vi.waitFor(() => expect(t.deletes()).toEqual([`https://ff.test/v1/results/${sent}`]));
    const [, init] = t.fetchSpy.mock.calls.find(([, i]) => i.method === 'DELETE')!;
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer t');
    expect(t.fetchSpy.mock.calls.filter(([, i]) => i.method === 'POST')).toHaveLength(1);
    expect(t.warnings).toEqual([]);
  });

  it('asks the backend once more when the cancel overtook its own request (404)', async () => {
    let deletes = 0;
    const t = setup(hangingPosts((url) => (++deletes === 1 ? Promise.resolve(errorResponse(404, 'not_found')) : cancelled(url))));
    t.controller.start(plan([]), 'Fox', 'low');
    await vi.waitFor(() => expect(t.fetchSpy).toHaveBeenCalledTimes(1));
    t.controller.cancel();
    await t.settled();
    await vi.waitFor(() => expect(t.deletes()).toHaveLength(2));
    expect(new Set(t.deletes()).size).toBe(1);
  });

  it('is idle at once even when the backend cannot be told, and logs why', async () => {
    const t = setup(hangingPosts(() => Promise.reject(new TypeError('Failed to fetch'))));
    t.controller.start(plan([]), 'Fox', 'low');
    await vi.waitFor(() => expect(t.fetchSpy).toHaveBeenCalledTimes(1));
    t.controller.cancel();
    await t.settled();
    expect(t.jobs()[0]!.status).toBe('cancelled');
    expect(isRunning(t.controller.store.get())).toBe(false);
    expect(t.types()).toEqual(['add-pending', 'remove-pending']);
    await vi.waitFor(() => expect(t.warnings).toHaveLength(1));
    expect(t.warnings[0]).toMatch(/^couldn't cancel request .+ on the backend: Can't reach the Framefill backend at https:\/\/ff\.test/);
  });

  it('leaves runs going on the backend when the panel closes (they are recovered next time)', async () => {
    const t = setup(hangingPosts(cancelled));
    t.controller.start(plan([]), 'Fox', 'low');
    await vi.waitFor(() => expect(t.fetchSpy).toHaveBeenCalledTimes(1));
    t.controller.dispose();
    await new Promise((r) => setTimeout(r, 20));
    expect(t.deletes()).toEqual([]);
    expect(t.types()).toEqual(['add-pending']);
  });

  it('keeps at most four requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const t = setup(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return sse(completed());
    });
    t.controller.start(plan(Array.from({ length: 9 }, (_, i) => target(`t${i}`, true))), 'Fox', 'low');
    await t.settled();
    expect(t.fetchSpy).toHaveBeenCalledTimes(9);
    expect(peak).toBe(4);
    expect(t.jobs().every((j) => j.status === 'placed')).toBe(true);
  });

  it('keeps unplaced results of an earlier run when a new run starts', async () => {
    const t = setup(async () => sse(completed(2)));
    t.controller.start(plan([], { variations: 2 }), 'First', 'low');
    await t.settled();
    t.controller.start(plan([], { variations: 2 }), 'Second', 'low');
    await t.settled();
    expect(t.jobs().map((j) => j.spec.prompt)).toEqual(['Second', 'First']);
  });
});

describe('recovery of pending runs', () => {
  const pending = (requestId: string): PendingRun => ({ requestId, kind: 'generate', targetId: 'f1', targetName: 'Hero', prompt: 'A lighthouse', tier: 'medium', size: '1024x1024', variations: 1, referenceIds: [], startedAt: 1 });

  it('offers finished runs for placing, polls running ones and drops expired ones', async () => {
    const answers: Record<string, Response[]> = {
      done: [new Response(JSON.stringify({ created: 1, data: [{ b64_json: PNG }], framefill: { cost_usd: 0.05, request_id: 'done', model: 'gpt-image-2' } }))],
      later: [
        new Response(JSON.stringify({ object: 'framefill.result', status: 'in_progress', id: 'later' }), { status: 202 }),
        new Response(JSON.stringify({ created: 1, data: [{ b64_json: PNG }] })),
      ],
      gone: [errorResponse(404, 'not_found')],
      dropped: [errorResponse(404, 'result_not_retained')],
    };
    const t = setup(async (url) => answers[url.split('/').pop()!]!.shift()!);
    await t.controller.recover([pending('done'), pending('later'), pending('gone'), pending('dropped')]);
    const jobs = t.jobs();
    expect(Object.fromEntries(jobs.map((j) => [j.requestId, j.status]))).toEqual({ done: 'done', later: 'done' });
    expect(jobs.every((j) => j.recovered)).toBe(true);
    expect(t.requester.place).not.toHaveBeenCalled();
    expect(t.types()).toEqual(['remove-pending', 'remove-pending']);
    expect(t.controller.store.get().notices.map((n) => n.text)).toEqual([
      'Recovered 2 results from runs that were still going when the panel closed.',
      '1 earlier run had expired on the backend and was dropped.',
      '1 earlier run finished and was charged, but the backend ran out of room to keep its images.',
    ]);
    await t.controller.place(jobs.find((j) => j.requestId === 'done')!.id, 0);
    expect(t.requester.place.mock.calls[0]![0]).toMatchObject({ targetId: 'f1', provenance: { requestId: 'done', costUsd: 0.05 } });
    expect(t.types()).toEqual(['remove-pending', 'remove-pending', 'remove-pending']);
  });

  it('says a run lost with its backend instance failed, not charged, and stops asking about it', async () => {
    const t = setup(async () => errorResponse(500, 'request_lost'));
    await t.controller.recover([pending('lost')]);
    expect(t.types()).toEqual(['remove-pending']);
    expect(t.controller.store.get().notices.map((n) => n.text).join('\n')).toContain('The backend stopped before this image finished, and nothing was charged. Run it again.');
  });
});
