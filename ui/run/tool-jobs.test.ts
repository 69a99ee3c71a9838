// (issue 15) An edit tool's job through the run controller: what it asks the sandbox to export,
// what it uploads (Expand's composed canvas and margin mask, the area's mask), how its result is
// placed and recorded, and how a run recovered after the panel closed places the same way.
import { describe, expect, it, vi } from 'vitest';
import { pngOf } from '../../test/support/images';
import type { PendingRun, Target, UiToSandbox } from '../../plugin/messages';
import { BackendClient } from '../lib/backend-client';
import { createLimiter } from '../lib/concurrency';
import { toolPlan, toolSpec, type ToolTarget } from '../lib/edit-tool-plan';
import { FALLBACK_CHOICES } from '../lib/model-catalog';
import { placedText } from '../lib/card-wording';
import type { ExportImageRequest, ExportRequest, Exported, PlaceRequest, Placed, Requester } from '../transport';
import type { ImageOps } from './context';
import { createRunController } from './controller';
import type { EditTool } from '../../plugin/messages';

const PNG = pngOf(8, 6).toString('base64');
const bill = { cost_usd: 0.09, request_id: 'x', model: 'gpt-image-2' };
const completed = `event: image_edit.completed\ndata: ${JSON.stringify({ type: 'image_edit.completed', b64_json: PNG, framefill: bill })}\n\n`;
const sse = () => new Response(completed, { headers: { 'content-type': 'text/event-stream' } });

const hero = (over: Partial<Target> = {}): ToolTarget =>
  ({ id: '1:2', name: 'Hero', type: 'FRAME', width: 1600, height: 900, empty: false, maskId: null, image: { hash: 'img-1', width: 1024, height: 1024, scaleMode: 'FILL', framefill: true, prompt: 'A fox', originals: 0 }, ...over }) as ToolTarget;
const specOf = (tool: EditTool, target = hero(), prompt = 'The snowy forest continues') =>
  toolSpec(toolPlan(tool, target, { model: FALLBACK_CHOICES[0]!, tier: 'medium', models: FALLBACK_CHOICES, upscaleTier: 'high' }, prompt.length), target, prompt)!;

function setup(options: { areaMask?: boolean } = {}) {
  const emitted: UiToSandbox[] = [];
  let id = 0;
  const fetchSpy = vi.fn(async (_url: string, _init: RequestInit) => sse());
  const exportNodes = vi.fn(async (req: ExportRequest | ExportImageRequest): Promise<Exported> => ({
    type: 'exported',
    rid: 'r',
    images: [{ nodeId: req.type === 'export-image' ? req.nodeId : '', bytes: new Uint8Array(pngOf(4, 4)), format: 'png', width: 1024, height: 1024 }],
    mask: req.type === 'export-image' && req.area && options.areaMask !== false ? { bytes: new Uint8Array([9, 9]), width: 1024, height: 1024 } : null,
  }));
  const place = vi.fn(async (_request: unknown): Promise<Placed> => ({ type: 'placed', rid: 'r', nodeIds: ['n1'], imageHash: 'img-2', notices: [] }));
  const requester = { exportNodes, place, close: vi.fn() } satisfies Requester;
  const composed = { image: { bytes: new Uint8Array([1]), format: 'png' as const, width: 1600, height: 912, name: 'target.png' }, mask: { bytes: new Uint8Array([2]) } };
  const imageOps = {
    prepareEditUploads: vi.fn<ImageOps['prepareEditUploads']>(async (images, mask) => ({ images: images.map((i) => ({ bytes: i.bytes, type: 'image/png' as const, name: i.name })), mask: mask ? new Uint8Array([7]) : null })),
    makeThumbnail: vi.fn(async () => null),
    composeExpand: vi.fn<NonNullable<ImageOps['composeExpand']>>(async () => composed),
  };
  const controller = createRunController({
    emit: (m) => emitted.push(m),
    requester,
    client: () => new BackendClient({ backendUrl: 'https://ff.test', accessToken: 't', fetch: fetchSpy as unknown as typeof fetch, sleep: async () => undefined }),
    imageOps,
    limiter: createLimiter(2),
    newId: () => `id-${++id}`,
    now: () => 1_000_000,
    uploadBudget: 4 * 1024 * 1024,
    sleep: async () => undefined,
  });
  const jobs = () => controller.store.get().jobs;
  const settled = () => vi.waitFor(() => expect(jobs().every((j) => ['done', 'placed', 'failed', 'cancelled'].includes(j.status))).toBe(true));
  const body = () => fetchSpy.mock.calls[0]![1].body as FormData;
  const placed = () => place.mock.calls[0]![0] as PlaceRequest;
  return { controller, emitted, requester, imageOps, composed, fetchSpy, jobs, settled, body, placed };
}

describe('an edit tool’s job', () => {
  it('Expand: exports the stored image, composes it at its place on the canvas with the margins as the mask, and replaces it as an expand of that image', async () => {
    const t = setup();
    t.controller.startSpecs([specOf('expand')]);
    await t.settled();
    expect(t.requester.exportNodes.mock.calls[0]![0]).toEqual({ type: 'export-image', nodeId: '1:2', source: 'image', maxSide: 2048, area: false });
    const [source, size, rect] = t.imageOps.composeExpand.mock.calls[0]!;
    expect(source).toMatchObject({ width: 1024, height: 1024, format: 'png' });
    expect([size, rect]).toEqual([{ width: 1600, height: 912 }, { x: 350, y: 6, width: 900, height: 900 }]);
    expect(t.imageOps.prepareEditUploads.mock.calls[0]!.slice(0, 2)).toEqual([[t.composed.image], t.composed.mask]);
    expect(t.fetchSpy.mock.calls[0]![0]).toBe('https://ff.test/v1/images/edits');
    expect(t.body().get('size')).toBe('1600x912');
    expect(t.body().get('mask')).not.toBeNull();
    expect(t.placed()).toMatchObject({ targetId: '1:2', edit: { tool: 'expand', parentHash: 'img-1', areaId: null }, provenance: { action: 'expand', parentImageHash: 'img-1', prompt: 'The snowy forest continues', size: '1600x912' } });
    const pending = t.emitted.find((m) => m.type === 'add-pending') as Extract<UiToSandbox, { type: 'add-pending' }>;
    expect(pending.run.edit).toEqual({ tool: 'expand', parentHash: 'img-1', areaId: null });
    expect(t.jobs()[0]!.status).toBe('placed');
    expect(placedText(t.jobs()[0]!.spec)).toBe('Expanded the image in Hero.');
  });

  it('Select area: exports the layer as it shows with its area as the mask; the area goes with the placement', async () => {
    const t = setup();
    t.controller.startSpecs([specOf('area', hero({ areaId: '7:1' }), 'A ceramic vase')]);
    await t.settled();
    expect(t.requester.exportNodes.mock.calls[0]![0]).toMatchObject({ type: 'export-image', source: 'fill', area: true });
    expect(t.imageOps.prepareEditUploads.mock.calls[0]![1]).toEqual({ bytes: new Uint8Array([9, 9]), width: 1024, height: 1024 });
    expect(t.imageOps.composeExpand).not.toHaveBeenCalled();
    expect(t.placed()).toMatchObject({ edit: { tool: 'area', parentHash: 'img-1', areaId: '7:1' }, provenance: { action: 'area' } });
    expect(placedText(t.jobs()[0]!.spec)).toBe('Changed the area in Hero.');
  });

  it('Select area fails plainly when the sandbox sends no area mask', async () => {
    const t = setup({ areaMask: false });
    t.controller.startSpecs([specOf('area', hero({ areaId: '7:1' }), 'A vase')]);
    await t.settled();
    expect(t.jobs()[0]).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/area layer couldn’t be exported/) } });
    expect(t.fetchSpy).not.toHaveBeenCalled();
  });

  it('Cut out: asks for a transparent PNG without a mask and places a new layer above (no parent hash lost)', async () => {
    const t = setup();
    t.controller.startSpecs([specOf('cutout', hero(), 'The fox alone on a transparent background')]);
    await t.settled();
    expect(t.body().get('background')).toBe('transparent');
    expect(t.body().get('output_format')).toBe('png');
    expect(t.body().get('mask')).toBeNull();
    expect(t.placed()).toMatchObject({ edit: { tool: 'cutout', parentHash: 'img-1', areaId: null }, provenance: { action: 'cutout', transparent: true } });
    expect(placedText(t.jobs()[0]!.spec)).toBe('Cut out above Hero.');
  });

  it('Upscale: sends the stored image and asks for twice its size', async () => {
    const t = setup();
    t.controller.startSpecs([specOf('upscale', hero(), 'Sharper')]);
    await t.settled();
    expect(t.requester.exportNodes.mock.calls[0]![0]).toMatchObject({ type: 'export-image', source: 'image', area: false });
    expect(t.body().get('size')).toBe('2048x2048');
    expect(t.body().get('quality')).toBe('high');
    expect(t.placed()).toMatchObject({ edit: { tool: 'upscale', parentHash: 'img-1' }, provenance: { action: 'upscale', tier: 'high' } });
    expect(placedText(t.jobs()[0]!.spec)).toBe('Upscaled the image in Hero.');
  });
});

describe('a tool run recovered after the panel closed', () => {
  const run = (edit: PendingRun['edit']): PendingRun => ({ requestId: 'done', kind: 'edit', targetId: '1:2', targetName: 'Hero', prompt: 'Continue', tier: 'medium', size: '1600x912', variations: 1, referenceIds: [], startedAt: 1, edit });

  it('places as its tool places; retrying an Expand without its layout says what to do', async () => {
    const t = setup();
    t.fetchSpy.mockImplementation(async () => new Response(JSON.stringify({ created: 1, data: [{ b64_json: PNG }], framefill: bill })));
    await t.controller.recover([run({ tool: 'expand', parentHash: 'img-1', areaId: null })]);
    const job = t.jobs()[0]!;
    expect(job).toMatchObject({ status: 'done', recovered: true, spec: { outputFormat: 'png', tool: { tool: 'expand', source: 'image' } } });
    await t.controller.place(job.id, 0);
    expect(t.placed()).toMatchObject({ edit: { tool: 'expand', parentHash: 'img-1', areaId: null }, provenance: { action: 'expand', parentImageHash: 'img-1' } });

    // Another one the backend lost while it was being polled: its card fails, and the user retries it.
    const lost = [new Response(JSON.stringify({ object: 'framefill.result', status: 'in_progress', id: 'again' }), { status: 202 }), new Response(JSON.stringify({ error: { message: 'lost', type: 'server_error', param: null, code: 'request_lost' } }), { status: 500 })];
    t.fetchSpy.mockImplementation(async () => lost.shift()!);
    await t.controller.recover([{ ...run({ tool: 'expand', parentHash: 'img-1', areaId: null }), requestId: 'again' }]);
    const again = t.jobs().find((j) => j.requestId === 'again')!;
    expect(again.status).toBe('failed');
    t.controller.retry(again.id);
    await t.settled();
    expect(t.jobs().find((j) => j.id === again.id)).toMatchObject({ status: 'failed', error: { message: expect.stringMatching(/without its layout — select the image and press Expand again/) } });
    expect(t.requester.exportNodes).not.toHaveBeenCalled();
  });
});
