// The edit tools on the canvas (issue 15): the built panel in the playground, the real backend, the
// fake OpenAI keeping what it was sent. Expand paints a 1:1 image out to its frame resized to 16:9
// (image and mask the same size, the mask transparent exactly over the new margins); a drawn
// ellipse becomes an area edit's mask and its area layer goes with the result (Undo brings it
// back); Cut out places a layer whose PNG has real alpha; Upscale asks twice the size. Every result
// replaces or sits beside the original without destroying it, one undo step each.
import { describe, expect, it } from 'vitest';
import { expandLayout } from '../../ui/lib/edit-geometry';
import { pngAlpha } from '../fake-figma/png-alpha';
import type { RecordedRequest } from '../fake-openai/server';
import type { Snapshot, SnapshotNode } from '../playground/api';
import { imageFills, nodeIn, screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

// Fresh images per request (a replaced image must differ from its original); uploads kept to read the mask.
const env = useHarness({ fake: { latencyMs: 20, freshImages: true, keepUploads: true } });
const fake = () => env.harness.fake;

const PROMPT = 'Ceramic cup on a linen tablecloth, soft morning window light, editorial product photo';
const edits = () => fake().requests.filter((r) => r.route === 'edits');
const panelShot = (p: Playground, name: string) => p.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
const pageShot = (p: Playground, name: string) => p.page.screenshot({ path: screenshotPath(name) });
const provenanceOf = (node: SnapshotNode) => JSON.parse(node.pluginData.framefill ?? '{}') as { action?: string; parentImageHash?: string; size?: string; prompt?: string };
/** The node's image paints, topmost last, with whether each shows. */
const paintsOf = (node: SnapshotNode) => (Array.isArray(node.fills) ? node.fills.filter((p) => p.type === 'IMAGE').map((p) => ({ hash: p.imageHash!, visible: p.visible !== false })) : []);
const fileOf = (request: RecordedRequest, field: (name: string) => boolean) => {
  const file = request.files.find((f) => field(f.field));
  if (!file?.data) throw new Error(`the edit carried no ${String(field)} file`);
  return file;
};

/** Fills the 512×512 square with a Framefill image (generated at 816×816); its hash. */
async function fillSquare(p: Playground): Promise<string> {
  await p.clickFrame('square');
  await expect.poll(() => p.panel.locator('#plan-line').textContent()).toMatch(/^Fill 1 empty frame/);
  const before = (await p.snapshot()).undoSteps;
  await p.run(PROMPT, 'Low');
  const done = await waitForSnapshot(p, (s) => s.undoSteps === before + 1 && s);
  const [paint] = paintsOf(nodeIn(done, p.scene.square!));
  fake().reset();
  return paint!.hash;
}

const tools = (p: Playground) => p.panel.getByRole('region', { name: 'Edit image' });
const chooseTool = (p: Playground, name: 'Expand' | 'Select area' | 'Cut out' | 'Upscale') => tools(p).getByRole('radio', { name: new RegExp(`^${name},`) }).click();

describe('Expand to frame', () => {
  it('paints a 1:1 image out to its frame resized to 16:9: image and mask the same size, the mask clear exactly over the new margins; the fill is replaced, the original kept hidden, Undo restores it', async () => {
    const pg = await env.open();
    const original = await fillSquare(pg);
    const square = pg.scene.square!;
    // The designer makes the square a 16:9 hero; the fill now crops the image's top and bottom.
    await pg.page.evaluate((id) => window.__playground!.resize(id, 512, 288), square);
    // From the layer's relaunch button, as in Figma's properties panel: the panel opens on Expand,
    // with the estimate, and spends nothing until asked.
    await pg.page.evaluate((id) => window.__playground!.relaunch(id, 'expand'), square);
    await expect.poll(() => tools(pg).getByRole('radio', { name: /^Expand,/ }).isChecked(), { timeout: 15_000 }).toBe(true);
    const button = tools(pg).getByRole('button', { name: /^Expand · ≈ \$\d+\.\d\d$/ });
    await expect.poll(() => button.isEnabled()).toBe(true);
    expect(fake().requests.filter((r) => r.route === 'edits' || r.route === 'generations')).toHaveLength(0);
    await panelShot(pg, 'edit-expand-ready');

    const before = (await pg.snapshot()).undoSteps;
    await button.click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before + 1 && s);

    // One edit: the composed canvas and its mask, both the planned 16:9 size.
    const [request] = edits();
    expect(edits()).toHaveLength(1);
    const image = fileOf(request!, (f) => f.startsWith('image'));
    const mask = fileOf(request!, (f) => f === 'mask');
    const layout = expandLayout({ width: 512, height: 288 }, { width: 816, height: 816 }, { scaleMode: 'FILL' });
    if (!layout.ok) throw new Error(layout.reason);
    expect(request!.fields.size).toBe(layout.size.text);
    expect({ width: image.width, height: image.height }).toEqual(layout.size.size);
    expect({ format: mask.format, width: mask.width, height: mask.height }).toEqual({ format: 'png', ...layout.size.size });
    // The API edits where the mask is transparent: exactly the margins, never the image.
    const alpha = await pg.alphaOf(mask.data!);
    const { rect } = layout;
    let wrong = 0;
    for (let y = 0; y < alpha.height; y++) {
      for (let x = 0; x < alpha.width; x++) {
        const overImage = x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height;
        if (alpha.alpha[y * alpha.width + x] !== (overImage ? 255 : 0)) wrong++;
      }
    }
    expect(wrong, `mask pixels off (rect ${JSON.stringify(rect)})`).toBe(0);
    expect(rect.x).toBeGreaterThan(100); // margins left and right, the square image in the middle
    // The sent canvas is clear in the margins too (the image alone, where the frame showed it).
    const sent = await pg.alphaOf(image.data!);
    expect(sent.alpha[0]).toBe(0);
    expect(sent.alpha[Math.floor(sent.height / 2) * sent.width + Math.floor(sent.width / 2)]).toBe(255);

    // The fill now shows the expanded image; the original stays in the file, hidden under it.
    const node = nodeIn(done, square);
    const paints = paintsOf(node);
    expect(paints.map((p) => p.visible)).toEqual([false, true]);
    expect(paints[0]!.hash).toBe(original);
    expect(paints[1]!.hash).not.toBe(original);
    expect(provenanceOf(node)).toMatchObject({ action: 'expand', parentImageHash: original, size: layout.size.text });
    await expect.poll(() => tools(pg).getByRole('button', { name: 'Discard original' }).isVisible()).toBe(true);
    await pageShot(pg, 'edit-expand-done');

    // One Undo: the cropped original is back, alone.
    await pg.page.evaluate(() => window.__playground!.undo());
    const undone = await waitForSnapshot(pg, (s) => paintsOf(nodeIn(s, square)).length === 1 && s);
    expect(paintsOf(nodeIn(undone, square))).toEqual([{ hash: original, visible: true }]);
    expect(pg.errors).toEqual([]);
  });
});

describe('Select area', () => {
  it('a drawn ellipse becomes the mask; the area layer is gone after the run and back after Undo', async () => {
    const pg = await env.open();
    const original = await fillSquare(pg);
    const square = pg.scene.square!;
    await chooseTool(pg, 'Select area');
    await tools(pg).getByRole('button', { name: 'Select area', exact: true }).click();
    const areaOf = (s: Snapshot) => s.nodes.find((n) => n.pluginData['framefill-area'] === square);
    const made = await waitForSnapshot(pg, (s) => areaOf(s) && s);
    const area = areaOf(made)!;
    expect(area).toMatchObject({ name: 'Framefill area', type: 'FRAME', width: 512, height: 512, x: nodeIn(made, square).x, y: nodeIn(made, square).y });
    const starter = made.nodes.find((n) => n.parentId === area.id && n.name === 'Area')!;
    expect(made.selection).toEqual([starter.id]); // ready to shape

    // The designer draws their own ellipse in the area and deletes the starter shape.
    const drawn = await pg.page.evaluate((id) => window.__playground!.draw(id, 'ellipse', { x: 40, y: 40, width: 160, height: 120 }), area.id);
    await pg.page.evaluate((id) => window.__playground!.remove(id), starter.id);
    await pg.page.evaluate((id) => window.__playground!.select([id]), drawn);
    await expect.poll(() => tools(pg).locator('.edit-area-note').textContent()).toMatch(/only change the shaded area/);
    await tools(pg).getByLabel('What goes in the area').fill('A small brass bell on the tablecloth, same soft morning light');
    await panelShot(pg, 'edit-area-ready');
    await pageShot(pg, 'edit-area-canvas');

    const before = (await pg.snapshot()).undoSteps;
    await tools(pg).getByRole('button', { name: /^Change area · ≈ \$\d+\.\d\d$/ }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before + 1 && s);

    const [request] = edits();
    const image = fileOf(request!, (f) => f.startsWith('image'));
    const mask = fileOf(request!, (f) => f === 'mask');
    expect({ width: mask.width, height: mask.height }).toEqual({ width: image.width, height: image.height });
    // The fake paints a shape's box: clear (edit here) inside the drawn ellipse, kept elsewhere.
    const alpha = await pg.alphaOf(mask.data!);
    const at = (x: number, y: number) => alpha.alpha[Math.round((y * alpha.height) / 512) * alpha.width + Math.round((x * alpha.width) / 512)];
    expect(at(120, 100)).toBe(0);
    expect(at(400, 400)).toBe(255);
    expect(at(20, 20)).toBe(255);

    expect(areaOf(done)).toBeUndefined();
    const paints = paintsOf(nodeIn(done, square));
    expect(paints.map((p) => p.visible)).toEqual([false, true]);
    expect(provenanceOf(nodeIn(done, square))).toMatchObject({ action: 'area', parentImageHash: original });

    await pg.page.evaluate(() => window.__playground!.undo());
    const undone = await waitForSnapshot(pg, (s) => areaOf(s) && s);
    expect(undone.nodes.filter((n) => n.parentId === areaOf(undone)!.id).map((n) => n.id)).toEqual([drawn]);
    expect(paintsOf(nodeIn(undone, square))).toEqual([{ hash: original, visible: true }]);
    expect(pg.errors).toEqual([]);
  });
});

describe('Cut out', () => {
  it('re-creates the subject on a transparent background as a new layer above the original, alpha intact', async () => {
    const pg = await env.open();
    const original = await fillSquare(pg);
    const square = pg.scene.square!;
    await chooseTool(pg, 'Cut out');
    const before = await pg.snapshot();
    await tools(pg).getByRole('button', { name: /^Cut out · ≈ \$\d+\.\d\d$/ }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before.undoSteps + 1 && s);

    const [request] = edits();
    expect(request!.fields).toMatchObject({ background: 'transparent', output_format: 'png' });
    const target = nodeIn(done, square);
    const layer = done.nodes.find((n) => !before.nodes.some((b) => b.id === n.id) && n.parentId === target.parentId)!;
    expect(layer).toBeDefined();
    expect(layer.index).toBe(target.index + 1); // right above the original
    expect({ x: layer.x, y: layer.y, width: layer.width, height: layer.height }).toEqual({ x: target.x, y: target.y, width: target.width, height: target.height });
    expect(paintsOf(target)).toEqual([{ hash: original, visible: true }]); // the original untouched
    expect(provenanceOf(layer)).toMatchObject({ action: 'cutout', parentImageHash: original });
    const [fill] = imageFills(layer);
    const png = await pg.imageBytes(fill!.imageHash);
    expect(pngAlpha(png).alphaAt(0, 0)).toBe(0); // a real transparent edge on the canvas
    await pageShot(pg, 'edit-cutout-done');
    expect(pg.errors).toEqual([]);
  });
});

describe('Upscale', () => {
  it('asks for twice the size at High with the image as the reference, replaces the fill in place; Discard original drops the kept one', async () => {
    const pg = await env.open();
    const original = await fillSquare(pg);
    const square = pg.scene.square!;
    await chooseTool(pg, 'Upscale');
    await expect.poll(() => tools(pg).getByRole('radio', { name: /^Upscale at High,/ }).isChecked()).toBe(true);
    await expect.poll(() => tools(pg).textContent()).toMatch(/re-render at twice the size, not a pixel-exact enlargement/i);
    await panelShot(pg, 'edit-upscale-ready');
    const before = (await pg.snapshot()).undoSteps;
    await tools(pg).getByRole('button', { name: /^Upscale · ≈ \$\d+\.\d\d$/ }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before + 1 && s);

    const [request] = edits();
    expect(request!.fields).toMatchObject({ size: '1632x1632', quality: 'high' });
    expect(request!.files.filter((f) => f.field.startsWith('image')).map((f) => [f.width, f.height])).toEqual([[816, 816]]);
    const paints = paintsOf(nodeIn(done, square));
    expect(paints.map((p) => p.visible)).toEqual([false, true]);
    expect(paints[0]!.hash).toBe(original);
    expect(done.images.find((i) => i.hash === paints[1]!.hash)).toMatchObject({ width: 1632, height: 1632 });
    expect(provenanceOf(nodeIn(done, square))).toMatchObject({ action: 'upscale', parentImageHash: original, size: '1632x1632' });

    await tools(pg).getByRole('button', { name: 'Discard original' }).click();
    const discarded = await waitForSnapshot(pg, (s) => s.undoSteps === before + 2 && s);
    expect(paintsOf(nodeIn(discarded, square))).toEqual([{ hash: paints[1]!.hash, visible: true }]);
    expect(pg.errors).toEqual([]);
  });
});

describe('an edit tool run the panel was closed on', () => {
  it('is recovered on reopen and placed as its tool places: the fill replaced in place, the original kept', async () => {
    const pg = await env.open();
    const original = await fillSquare(pg);
    const square = pg.scene.square!;
    await chooseTool(pg, 'Upscale');
    fake().setLatency(2500);
    await tools(pg).getByRole('button', { name: /^Upscale · ≈ \$\d+\.\d\d$/ }).click();
    await expect.poll(() => edits().length, { timeout: 10_000 }).toBe(1);
    await pg.closePlugin();
    fake().setLatency(20);
    const steps = (await pg.snapshot()).undoSteps;

    await pg.reopenPlugin();
    const card = pg.panel.locator('article.job');
    await expect.poll(() => card.locator('.job-status').textContent(), { timeout: 15_000 }).toBe('Recovered — ready to place.');
    await card.getByRole('button', { name: 'Place', exact: true }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === steps + 1 && s);
    const paints = paintsOf(nodeIn(done, square));
    expect(paints.map((p) => p.visible)).toEqual([false, true]);
    expect(paints[0]!.hash).toBe(original);
    expect(provenanceOf(nodeIn(done, square))).toMatchObject({ action: 'upscale', parentImageHash: original });
    await expect.poll(() => card.locator('.job-status').textContent()).toMatch(/^Upscaled the image in Square 512×512\.$/);
    expect(edits()).toHaveLength(1); // paid once
    expect(pg.errors).toEqual([]);
  });
});
