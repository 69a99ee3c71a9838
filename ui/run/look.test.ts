// Lock the look: the pure parts (when a run sequences, the estimate, the follower's spec) and the
// controller's order of requests — the first alone, the rest as edits carrying its image.
import { describe, expect, it, vi } from 'vitest';
import { pngOf } from '../../test/support/images';
import type { PendingRun, Target, UiToSandbox } from '../../plugin/messages';
import { priceBook } from '../../backend/pricing';
import { BackendClient } from '../lib/backend-client';
import { createLimiter } from '../lib/concurrency';
import type { SourceImage } from '../lib/image-canvas';
import { buildPlan, extraReferenceUsd, type FormChoice } from '../lib/plan';
import { SandboxError, type Requester } from '../transport';
import { createRunController } from './controller';
import { specFromPlan } from './job';
import { statusText } from '../components/job-card';
import { lookSource, restOfRun, sequencesLook, withLook, withLookEstimate } from './look';

const choice: FormChoice = { tier: 'low', sizeMode: 'auto', customWidth: 1024, customHeight: 1024, hd: false, variations: 1 };
const frame = (id: string): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty: true, maskId: null });
const planOf = (n: number) => buildPlan({ selection: { targets: Array.from({ length: n }, (_, i) => frame(String(i + 1))), skipped: [] }, pinned: [], choice, promptChars: 40 });
const LEAD = pngOf(12, 8).toString('base64');
const OTHER = pngOf(6, 6).toString('base64');

describe('when a run sequences the look', () => {
  it('only with the switch on, 2+ jobs and the look from the first image (or a pin since removed)', () => {
    expect(sequencesLook(true, 3, 'first', [])).toBe(true);
    expect(sequencesLook(false, 3, 'first', [])).toBe(false);
    expect(sequencesLook(true, 1, 'first', [])).toBe(false);
    // a pinned layer as the look already goes with every job: no waiting for a first image
    expect(sequencesLook(true, 3, { pinnedId: 'p1' }, ['p1'])).toBe(false);
    expect(sequencesLook(true, 3, { pinnedId: 'p1' }, [])).toBe(true);
  });
});

describe('the estimate with the look locked', () => {
  it('adds one input image to every job after the first, in the jobs, the total and the plan line', () => {
    const plain = planOf(3);
    const extra = extraReferenceUsd();
    expect(extra).toBeCloseTo(0.012, 6); // 1,500 image-input tokens at $8 / 1M
    const looked = withLookEstimate(plain, extra);
    expect(looked.jobs.map((j) => j.kind)).toEqual(['generate', 'edit', 'edit']);
    expect(looked.jobs[0]!.estimateUsd).toBe(plain.jobs[0]!.estimateUsd);
    expect(looked.jobs[1]!.estimateUsd).toBeCloseTo(plain.jobs[1]!.estimateUsd + extra, 6);
    expect(looked.totalUsd).toBeCloseTo(plain.totalUsd + 2 * extra, 6);
    expect(plain.text).toBe('Fill 3 empty frames · 3 images · ≈ $0.02');
    expect(looked.text).toBe('Fill 3 empty frames · 3 images · one look · ≈ $0.04');
    expect(withLookEstimate(planOf(1), extra)).toEqual(planOf(1));
  });

  it("prices the extra input at the model's own image-input price", () => {
    const dearer = priceBook({ textInput: 5, imageInput: 16, imageOutput: 30 });
    expect(extraReferenceUsd(dearer)).toBeCloseTo(2 * extraReferenceUsd(), 6);
  });
});

describe('a follower of the look', () => {
  it('becomes an edit carrying the look, its extra input counted once however often the look changes', () => {
    const spec = specFromPlan(planOf(2).jobs[1]!, 'A kettle', 'low');
    const once = withLook(spec, { b64: LEAD, width: 12, height: 8 }, 0.012);
    expect(once).toMatchObject({ kind: 'edit', look: { width: 12, height: 8 } });
    expect(once.estimateUsd).toBeCloseTo(spec.estimateUsd + 0.012, 6);
    const again = withLook(once, { b64: OTHER, width: 6, height: 6 }, 0.012);
    expect(again.look!.b64).toBe(OTHER);
    expect(again.estimateUsd).toBe(once.estimateUsd);
  });

  it('sends the look as its own PNG bytes, and re-runs only the finished jobs of the same run', () => {
    const source = lookSource({ b64: LEAD, width: 12, height: 8 });
    expect(source).toMatchObject({ format: 'png', width: 12, height: 8, name: 'look.png' });
    expect(Buffer.from(source.bytes).equals(pngOf(12, 8))).toBe(true);
    const jobs = [
      { id: 'a', runId: 'r1', status: 'placed' },
      { id: 'b', runId: 'r1', status: 'placed' },
      { id: 'c', runId: 'r1', status: 'running' },
      { id: 'd', runId: 'r2', status: 'placed' },
    ];
    expect(restOfRun(jobs, 'b', new Set(['running'])).map((j) => j.id)).toEqual(['a']);
    expect(restOfRun(jobs, 'zz', new Set())).toEqual([]);
  });
});

describe('the controller with the look locked', () => {
  /** `refuse`: how many of the first requests the backend refuses (a 400: not retried by itself) */
  function setup(refuse = 0) {
    const fitSourceWithin = vi.fn(async (source: SourceImage, _maxSide: number) => source);
    const sent: { route: string; images: number; lookBytes: number | null }[] = [];
    const emitted: UiToSandbox[] = [];
    const polled = new Set<string>();
    let calls = 0;
    const fetchImpl = async (url: string, init: RequestInit) => {
      // a recovered run: still going at first, then lost with its backend instance (nothing charged)
      if (url.includes('/v1/results/') && (init.method ?? 'GET') === 'GET') {
        const id = url.split('/').pop()!;
        if (!polled.has(id)) return polled.add(id), Response.json({ object: 'framefill.result', id, status: 'in_progress' }, { status: 202 });
        return Response.json({ error: { message: 'lost', type: 'server_error', code: 'request_lost', param: null } }, { status: 500 });
      }
      const body = init.body;
      const images = body instanceof FormData ? (body.getAll('image[]') as Blob[]) : [];
      const look = images.find((b) => (b as File).name.startsWith('look'));
      sent.push({ route: url.endsWith('/edits') ? 'edits' : 'generations', images: images.length, lookBytes: look ? look.size : null });
      if (sent.length <= refuse) return Response.json({ error: { message: 'Refused for the test', type: 'invalid_request_error', code: 'invalid_value', param: null } }, { status: 400 });
      const b64 = calls++ === 0 ? LEAD : OTHER;
      const event = { type: 'image_generation.completed', b64_json: b64, framefill: { cost_usd: 0.01, request_id: 'x', model: 'gpt-image-2' } };
      return new Response(`event: image_generation.completed\ndata: ${JSON.stringify(event)}\n\n`, { headers: { 'content-type': 'text/event-stream' } });
    };
    const requester = {
      // `export-image`: the frame showing the look, as stored
      exportNodes: vi.fn(async (request: { type: string }) => ({ type: 'exported' as const, rid: 'r', images: request.type === 'export-image' ? [{ nodeId: '1', bytes: new Uint8Array(pngOf(12, 8)), format: 'png' as const, width: 12, height: 8 }] : [], mask: null })),
      place: vi.fn(async () => ({ type: 'placed' as const, rid: 'r', nodeIds: ['n'], imageHash: 'h', notices: [] })),
      close: vi.fn(),
    } satisfies Requester;
    let id = 0;
    const controller = createRunController({
      emit: (m) => emitted.push(m),
      requester,
      client: () => new BackendClient({ backendUrl: 'https://ff.test', accessToken: 't', fetch: fetchImpl as unknown as typeof fetch, sleep: async () => undefined }),
      imageOps: {
        prepareEditUploads: async (images) => ({ images: images.map((i) => ({ bytes: i.bytes, type: `image/${i.format}` as const, name: i.name })), mask: null }),
        makeThumbnail: async () => null,
        fitSourceWithin,
      },
      limiter: createLimiter(4),
      newId: () => `id-${++id}`,
      now: () => 1_000,
      sleep: async () => undefined,
      uploadBudget: 4 * 1024 * 1024,
    });
    const jobs = () => controller.store.get().jobs;
    const settled = () => vi.waitFor(() => expect(jobs().every((j) => j.status === 'placed' || j.status === 'failed' || j.status === 'cancelled')).toBe(true));
    return { controller, sent, jobs, settled, requester, fitSourceWithin, emitted };
  }

  it('sends the first job alone, then the rest as edits carrying its image; a picked look re-runs the rest with it', async () => {
    const t = setup();
    t.controller.start(planOf(3), 'A kettle', 'low', { extraUsd: 0.012 });
    // the rest wait for the first image: one request so far
    expect(t.jobs().slice(1).map((j) => [j.status, j.waitsForLook])).toEqual([
      ['queued', true],
      ['queued', true],
    ]);
    expect(statusText(t.jobs()[1]!)).toBe('Waiting for the first image, which sets the look…');
    // their cards count the extra input from the start, as the plan line does
    expect(t.jobs()[1]!.cost.estimateUsd).toBeCloseTo(t.jobs()[0]!.cost.estimateUsd + 0.012, 6);
    await t.settled();
    expect(t.sent).toEqual([
      { route: 'generations', images: 0, lookBytes: null },
      { route: 'edits', images: 1, lookBytes: pngOf(12, 8).length },
      { route: 'edits', images: 1, lookBytes: pngOf(12, 8).length },
    ]);
    expect(t.requester.exportNodes).not.toHaveBeenCalled(); // empty frames: only the look goes
    // at reference size, as the sandbox exports layers
    expect(t.fitSourceWithin.mock.calls.map(([source, side]) => [source.name, side])).toEqual([['look.png', 2048], ['look.png', 2048]]);
    expect(t.jobs().map((j) => j.spec.estimateUsd > t.jobs()[0]!.spec.estimateUsd)).toEqual([false, true, true]);

    // the second frame's result becomes the look: the other two are sent again with it
    t.controller.rerunWithLook(t.jobs()[1]!.id, 0, 0.012);
    await t.settled();
    expect(t.sent.slice(3)).toEqual([
      { route: 'edits', images: 1, lookBytes: pngOf(6, 6).length },
      { route: 'edits', images: 1, lookBytes: pngOf(6, 6).length },
    ]);
  });

  it('cancels the waiting frames when the first image fails, saying why', async () => {
    const t = setup();
    const controller = t.controller;
    controller.start(planOf(2), 'A kettle', 'low', { extraUsd: 0.012 });
    controller.cancel();
    await t.settled();
    expect(t.jobs().map((j) => j.status)).toEqual(['cancelled', 'cancelled']);
    expect(t.jobs()[1]!.notices[0]).toMatch(/first image, which sets the look, did not arrive/);
    expect(t.sent.filter((s) => s.route === 'edits')).toEqual([]);
  });

  it('retries a held frame with the look: after the first image is retried, and by retrying it when it is still missing', async () => {
    const t = setup(1); // the first image is refused once
    t.controller.start(planOf(3), 'A kettle', 'low', { extraUsd: 0.012 });
    await t.settled();
    expect(t.jobs().map((j) => j.status)).toEqual(['failed', 'cancelled', 'cancelled']);
    const plainUsd = t.jobs()[0]!.spec.estimateUsd;
    const [lead, second, third] = t.jobs();

    // Retrying a held frame while the first image is still missing retries that one too, and waits for it.
    t.controller.retry(second!.id);
    expect(t.jobs()[1]).toMatchObject({ status: 'queued', waitsForLook: true });
    expect(t.jobs()[1]!.cost.estimateUsd).toBeCloseTo(plainUsd + 0.012, 6);
    await t.settled();
    expect(t.sent.slice(1)).toEqual([
      { route: 'generations', images: 0, lookBytes: null },
      { route: 'edits', images: 1, lookBytes: pngOf(12, 8).length },
    ]);
    expect(t.jobs().find((j) => j.id === lead!.id)!.status).toBe('placed');

    // With the look in, a retried frame carries it at once, its estimate counting the extra input as the first run did.
    t.controller.retry(third!.id);
    const retried = t.jobs().find((j) => j.id === third!.id)!;
    expect(retried.spec).toMatchObject({ kind: 'edit', look: { width: 12, height: 8 } });
    expect(retried.spec.estimateUsd).toBeCloseTo(plainUsd + 0.012, 6);
    expect(retried.cost.estimateUsd).toBeCloseTo(plainUsd + 0.012, 6);
    await t.settled();
    expect(t.sent.at(-1)).toEqual({ route: 'edits', images: 1, lookBytes: pngOf(12, 8).length });
  });

  it('keeps in each follower’s pending run the frame that shows the look; a frame recovered after reopening sends it again on Retry', async () => {
    const t = setup();
    t.controller.start(planOf(3), 'A kettle', 'low', { extraUsd: 0.012 });
    await t.settled();
    const added = t.emitted.flatMap((m) => (m.type === 'add-pending' ? [m.run] : []));
    // the first frame (id 1) filled with the look; the other two carry it and say where it shows
    expect(added.map((run) => [run.targetId, run.kind, run.lookFrom ?? null])).toEqual([
      ['1', 'generate', null],
      ['2', 'edit', '1'],
      ['3', 'edit', '1'],
    ]);

    // Reopened: frame 3's run was lost with its backend instance. Retry exports the look from frame 1, not frame 3 itself.
    const r = setup();
    await r.controller.recover([added[2]!]);
    const recovered = r.jobs()[0]!;
    expect(recovered.status).toBe('failed');
    expect(recovered.spec).toMatchObject({ kind: 'edit', sendsTarget: false, lookFrom: '1' });
    // its estimate counts the look as one input image, as the run's did
    expect(recovered.spec.estimateUsd).toBeGreaterThan(specFromPlan(planOf(3).jobs[2]!, 'A kettle', 'low').estimateUsd);
    r.controller.retry(recovered.id);
    await r.settled();
    expect(r.requester.exportNodes.mock.calls.map(([request]) => request)).toEqual([{ type: 'export-image', nodeId: '1', source: 'image', maxSide: 2048, area: false }]);
    expect(r.sent).toEqual([{ route: 'edits', images: 1, lookBytes: pngOf(12, 8).length }]);
    expect(r.jobs()[0]!.status).toBe('placed');
    // the retry's own pending run still says where the look shows, should the panel close again
    expect(r.emitted.flatMap((m) => (m.type === 'add-pending' ? [m.run.lookFrom] : []))).toEqual(['1']);
  });

  it('says so when the frame that showed the look no longer does, and sends nothing', async () => {
    const r = setup();
    r.requester.exportNodes.mockRejectedValueOnce(new SandboxError('That layer shows no image to edit.'));
    const run: PendingRun = { requestId: 'ff_lost', kind: 'edit', targetId: '3', targetName: 'Frame 3', lookFrom: '1', prompt: 'A kettle', tier: 'low', size: '1024x1024', variations: 1, referenceIds: [], startedAt: 1 };
    await r.controller.recover([run]);
    r.controller.retry(r.jobs()[0]!.id);
    await r.settled();
    expect(r.jobs()[0]!.status).toBe('failed');
    expect(r.jobs()[0]!.error?.message).toMatch(/no longer shows it/);
    expect(r.sent).toEqual([]);
  });

});
