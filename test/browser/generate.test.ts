// A designer's runs, end to end: the built panel in the playground, the real backend, the fake
// OpenAI. Each test asserts what the panel shows and what lands on the canvas.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageSize } from '../support/images';
import { imageFills, nodeIn, screenshotPath, startHarness, TEST_TOKEN, waitForSnapshot, type Harness, type Playground } from './harness';

const FAST_MS = 20;
let h: Harness;
let pg: Playground | undefined;

beforeAll(async () => {
  h = await startHarness({ fake: { latencyMs: FAST_MS } });
});
afterEach(async () => {
  await pg?.close();
  pg = undefined;
  h.fake.reset();
  h.fake.setLatency(FAST_MS);
});
afterAll(async () => {
  await h?.close();
});

/** The test token's month-to-date images and spend, from the backend. */
const usage = () =>
  fetch(`${h.backend.url}/v1/usage`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    .then((r) => r.json() as Promise<{ images: number; cost_usd: number; partial_images?: number }>)
    .then(({ images, cost_usd, partial_images }) => ({ images, cost_usd, partial_images: partial_images ?? 0 }));

const imageRequests = () => h.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');

describe('generating into frames', () => {
  it('fills three empty frames of different shapes, one undo step each, with the cost shown', async () => {
    pg = await h.open();
    const roles = ['iphone', 'desktop', 'square'];
    await pg.clickFrame('iphone');
    await pg.clickFrame('desktop', true);
    await pg.clickFrame('square', true);
    const plan = pg.panel.locator('#plan-line');
    await expect.poll(() => plan.textContent()).toMatch(/3 empty frames/i);
    expect(await plan.textContent()).toMatch(/3 images · ≈ \$\d+\.\d\d/);

    await pg.run('A ceramic mug on a walnut desk, morning window light, editorial photography', 'Medium');
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 3 && s);

    const requests = imageRequests();
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.route === 'generations' && r.fields.quality === 'medium')).toBe(true);
    const requestedSizes = requests.map((r) => String(r.fields.size)).sort();
    const placedSizes: string[] = [];
    for (const role of roles) {
      const frame = nodeIn(done, pg.scene[role]!);
      const fills = imageFills(frame);
      expect(fills, `${frame.name} has one image fill`).toHaveLength(1);
      const size = imageSize(await pg.imageBytes(fills[0]!.imageHash));
      const provenance = JSON.parse(frame.pluginData.framefill ?? '{}') as { size?: string; tier?: string };
      expect(provenance.tier).toBe('medium');
      // the image is exactly what the planner asked for, in the frame's shape
      expect(`${size.width}x${size.height}`).toBe(provenance.size);
      expect(size.width / size.height).toBeCloseTo(frame.width / frame.height, 1);
      expect(Math.abs(size.width / size.height / (frame.width / frame.height) - 1)).toBeLessThan(0.03);
      placedSizes.push(`${size.width}x${size.height}`);
    }
    expect(placedSizes.sort()).toEqual(requestedSizes);
    expect(done.created).toEqual([]); // filled in place, no new layers

    // the panel: each result placed, and the final cost (not an estimate) shown
    await expect.poll(() => pg!.panel.getByText(/^Filled /).count()).toBe(3);
    const spent = await pg.panel.getByText(/\$\d+\.\d+ spent/).textContent();
    expect(spent).not.toContain('≈');
    const metas = await pg.panel.locator('.job-meta').allTextContents();
    expect(metas).toHaveLength(3);
    for (const meta of metas) expect(meta).toMatch(/ · \$\d+\.\d+/);
    for (const meta of metas) expect(meta).not.toContain('≈');

    await pg.page.evaluate(() => window.__playground!.zoomToFit());
    await pg.page.waitForTimeout(300); // the blob images decode
    await pg.page.screenshot({ path: screenshotPath('canvas-after-fill') });

    // one undo takes back one result, the others stay
    await pg.page.getByRole('button', { name: 'Undo' }).click();
    const after = await pg.snapshot();
    expect(after.undoSteps).toBe(2);
    expect(roles.map((r) => imageFills(nodeIn(after, pg!.scene[r]!)).length).reduce((a, b) => a + b)).toBe(2);
    expect(await pg.page.locator('#undo-count').textContent()).toBe('2 undo steps');
    expect(pg.errors).toEqual([]);
  });

  it('restyles a frame with content: sends its PNG as the reference, adds a layer above, leaves it alone', async () => {
    pg = await h.open();
    const before = await pg.snapshot();
    const card = nodeIn(before, pg.scene.card!);
    const children = before.nodes.filter((n) => n.parentId === card.id);
    await pg.clickFrame('card');
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/restyle/i);
    await pg.run('The same product card as a watercolour illustration, soft paper texture', 'Low');
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 1 && s);

    const [request] = imageRequests();
    expect(request?.route).toBe('edits');
    const exported = done.exports.filter((e) => e.nodeId === card.id);
    expect(exported).toHaveLength(1);
    const reference = request!.files.find((f) => f.field.startsWith('image'));
    expect(reference).toMatchObject({ format: 'png', width: exported[0]!.width, height: exported[0]!.height });
    expect(exported[0]!.width / exported[0]!.height).toBeCloseTo(card.width / card.height, 2);

    // a new image layer right above the frame, same box; the original untouched
    expect(done.created).toHaveLength(1);
    const layer = nodeIn(done, done.created[0]!);
    expect(layer.type).toBe('RECTANGLE');
    expect(layer.parentId).toBe(card.parentId);
    expect(layer.index).toBe(card.index + 1);
    expect(layer.box).toEqual(card.box);
    expect(imageFills(layer)).toHaveLength(1);
    const size = imageSize(await pg.imageBytes(imageFills(layer)[0]!.imageHash));
    expect(`${size.width}x${size.height}`).toBe(String(request!.fields.size));
    expect(nodeIn(done, card.id)).toEqual(card);
    expect(done.nodes.filter((n) => n.parentId === card.id)).toEqual(children);
    await pg.page.screenshot({ path: screenshotPath('canvas-after-restyle') });
    expect(pg.errors).toEqual([]);
  });

  it('with nothing selected, places a new layer in the middle of the view', async () => {
    pg = await h.open();
    // Looking at free canvas (over a frame, the layer goes beside it instead: test/browser/loop.test.ts).
    await pg.page.evaluate(() => void (window.__playground!.fake.figma.viewport.center = { x: -4000, y: -4000 }));
    const before = await pg.snapshot();
    expect(before.selection).toEqual([]);
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/new/i);
    await pg.run('A lighthouse on a cliff at dusk, long exposure', 'Low');
    const done = await waitForSnapshot(pg, (s) => s.created.length === 1 && s);
    const layer = nodeIn(done, done.created[0]!);
    expect(layer.parentId).toBeNull();
    expect(imageFills(layer)).toHaveLength(1);
    // centred on the view's centre (to the pixel: the plugin places on whole pixels)
    expect(Math.abs(layer.box!.x + layer.box!.width / 2 - before.viewport.center.x)).toBeLessThanOrEqual(1);
    expect(Math.abs(layer.box!.y + layer.box!.height / 2 - before.viewport.center.y)).toBeLessThanOrEqual(1);
    expect(done.undoSteps).toBe(1);
    // the playground draws it
    await expect.poll(() => pg!.page.locator(`.node[data-node-id="${layer.id}"]`).count()).toBe(1);
    await pg.page.waitForTimeout(200);
    await pg.page.screenshot({ path: screenshotPath('canvas-new-layer') });
  });

  it('streams: partial previews show in the panel before the final image lands', async () => {
    h.fake.setLatency(2500);
    pg = await h.open();
    await pg.clickFrame('square');
    // Medium: Low streams no previews (they would double its price)
    await pg.run('A bowl of ramen, overhead, studio softbox', 'Medium');
    const preview = pg.panel.locator('.preview img');
    await preview.waitFor({ timeout: 10_000 });
    expect(await preview.getAttribute('src')).toMatch(/^data:image\//);
    // nothing on the canvas yet while the preview shows
    expect((await pg.snapshot()).undoSteps).toBe(0);
    await pg.page.screenshot({ path: screenshotPath('streaming') });
    expect(imageRequests()[0]?.fields).toMatchObject({ stream: true, partial_images: 2 });
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 1 && s);
    expect(imageFills(nodeIn(done, pg.scene.square!))).toHaveLength(1);
    await expect.poll(() => preview.count()).toBe(0);
  });

  it('cancel mid-run: the upstream call is aborted, nothing is placed, the panel is idle again', async () => {
    const latency = 3000;
    h.fake.setLatency(latency);
    pg = await h.open();
    const before = await usage();
    await pg.clickFrame('banner');
    await pg.run('A mountain range panorama at sunrise', 'Medium');
    await expect.poll(() => imageRequests().length, { timeout: 10_000 }).toBe(1);
    const cancelledAt = Date.now();
    await pg.panel.getByRole('button', { name: 'Cancel' }).click();
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).waitFor();
    await expect.poll(() => pg!.panel.getByText('Cancelled.').count()).toBe(1);
    // The backend keeps keyed calls running for recovery when a panel just goes away; Cancel
    // tells it to stop (DELETE /v1/results/{id}), so the paid call ends well before it would finish.
    await expect.poll(() => imageRequests()[0]!.aborted, { timeout: latency - 500 }).toBe(true);
    expect(Date.now() - cancelledAt).toBeLessThan(latency);
    await pg.page.waitForTimeout(latency + 500);
    const snap = await pg.snapshot();
    expect(snap.undoSteps).toBe(0);
    expect(snap.created).toEqual([]);
    expect(imageFills(nodeIn(snap, pg.scene.banner!))).toEqual([]);
    expect(imageRequests()).toHaveLength(1);
    expect(await pg.panel.getByText('Cancelled.').count()).toBe(1);
    expect(await pg.panel.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    // Nothing stays pending for a later recovery. Only the previews that reached the panel
    // before Cancel are billed (OpenAI bills them: 100 output tokens each, plus the prompt once):
    // no finished image, and far less than the image would have cost.
    const pending = await pg.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.pending'));
    expect(pending ?? []).toEqual([]);
    const after = await usage();
    const previews = after.partial_images - before.partial_images;
    expect(previews).toBeGreaterThanOrEqual(0);
    expect(after.cost_usd - before.cost_usd).toBeCloseTo(previews * 0.003, 3);
    expect(pg.errors).toEqual([]);
  });
});
