import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngAlpha } from '../test/fake-figma/png-alpha';
import { encodePng, gradient, jpegOf, pngOf } from '../test/support/images';
import { layerName } from './place';
import { PROVENANCE_KEY } from './provenance';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

const provenance = sampleProvenance();
const png = (w: number, h: number, seed = 1) => ({ bytes: new Uint8Array(pngOf(w, h, seed)), width: w, height: h });
const webp = () => ({ bytes: new Uint8Array([...Buffer.from('RIFF'), 30, 0, 0, 0, ...Buffer.from('WEBPVP8 '), ...new Array(12).fill(0)]), width: 1024, height: 1024 });
let rid = 0;
const place = (targetId: string | null, images: unknown[], mode: 'one' | 'all' = 'one', name = provenance.prompt) => fake.request({ type: 'place', rid: `p${++rid}`, targetId, images, mode, name, provenance });
const solid = { type: 'SOLID', color: { r: 0.2, g: 0.4, b: 0.6 } } as const;
const imageHashes = (node: FakeNode) => (node.fills as unknown as Array<{ type: string; imageHash?: string }>).filter((p) => p.type === 'IMAGE').map((p) => p.imageHash);

describe('empty target', () => {
  it('gets an image fill on top of its existing fills, as one undo step', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 393, height: 852, fills: [solid] });
    fake.select(hero);
    await launch(fake);
    const reply = await place(hero.id, [png(1024, 1536)]);
    expect(reply).toMatchObject({ type: 'placed', nodeIds: [hero.id], notices: [] });
    const fills = hero.fills as unknown as Array<{ type: string; imageHash?: string; scaleMode?: string }>;
    expect(fills).toHaveLength(2);
    expect(fills[0]).toMatchObject(solid); // kept, underneath
    expect(fills[1]).toMatchObject({ type: 'IMAGE', imageHash: reply.imageHash, scaleMode: 'FILL' });
    expect(fake.created()).toEqual([]); // no new layer
    expect(fake.undoSteps).toBe(1);
    fake.undo();
    expect(hero.fills).toEqual([solid]);
  });

  it('keeps a transparent result\'s alpha: Figma gets the PNG as made, clear margins and all', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 64, height: 64, fills: [solid] });
    fake.select(hero);
    await launch(fake);
    // a cut-out: an opaque square on a clear background
    const cutout = gradient(64, 64, 3, 0);
    for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) cutout.data[(y * 64 + x) * 4 + 3] = 255;
    const reply = await place(hero.id, [{ bytes: new Uint8Array(encodePng(cutout)), width: 64, height: 64 }]);
    const placed = fake.images.get(reply.imageHash)!;
    const alpha = pngAlpha(placed.bytes);
    expect([alpha.alphaAt(0, 0), alpha.alphaAt(63, 63), alpha.alphaAt(32, 32)]).toEqual([0, 0, 255]);
    // the frame's own fill stays underneath, showing through the clear parts
    expect((hero.fills as unknown as Array<{ type: string }>).map((p) => p.type)).toEqual(['SOLID', 'IMAGE']);
  });

  it('tells the panel the target now shows a Framefill image (still filled, not restyled, by the next run)', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    fake.select(hero);
    const { init } = await launch(fake);
    expect(init.selection.targets[0]).not.toHaveProperty('framefillImage');
    const from = fake.posted.length;
    await place(hero.id, [png(64, 64)]);
    const update = await fake.waitFor((m) => m.type === 'selection', 2000, from);
    expect(update.selection.targets[0]).toMatchObject({ id: hero.id, empty: true, framefillImage: true });
  });
});

describe('target with content', () => {
  it('gets a new image layer right above it with the same geometry; the original is untouched', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', x: 40, y: 60, width: 300, height: 200, rotation: 15, fills: [fake.imagePaint()], constraints: { horizontal: 'STRETCH', vertical: 'CENTER' } });
    const caption = fake.text({ name: 'Caption', y: 300 });
    const card = fake.frame({ name: 'Card', width: 500, height: 500, children: [photo, caption] });
    const originalFills = photo.fills;
    await launch(fake);
    const longName = 'An extremely detailed prompt about a barista pouring latte art at sunrise in a small café';
    const reply = await place(photo.id, [png(1536, 1024)], 'one', longName);
    expect(reply.type).toBe('placed');
    const [layer] = fake.created();
    expect(reply.nodeIds).toEqual([layer!.id]);
    expect(card.children.map((c) => c.name)).toEqual(['Photo', layer!.name, 'Caption']);
    expect(layer!.name).toBe(layerName(longName));
    expect(layer!.name.length).toBeLessThanOrEqual(60);
    expect(layer!.name.endsWith('…')).toBe(true);
    expect([layer!.type, layer!.x, layer!.y, layer!.width, layer!.height, layer!.rotation]).toEqual(['RECTANGLE', 40, 60, 300, 200, 15]);
    expect(layer!.absoluteTransform).toEqual(photo.absoluteTransform);
    expect(layer!.constraints).toEqual({ horizontal: 'STRETCH', vertical: 'CENTER' });
    expect(imageHashes(layer!)).toEqual([reply.imageHash]);
    expect(photo.fills).toBe(originalFills);
    expect(fake.undoSteps).toBe(1);
  });

  it('floats the new layer in auto layout so siblings do not move', async () => {
    fake = createNodeFakeFigma();
    const a = fake.frame({ name: 'A', width: 100, height: 100, children: [fake.text()] });
    const b = fake.rectangle({ name: 'B', width: 100, height: 100 });
    fake.frame({ name: 'Row', layoutMode: 'HORIZONTAL', itemSpacing: 8, children: [a, b] });
    await launch(fake);
    await place(a.id, [png(64, 64)]);
    const [layer] = fake.created();
    expect(layer!.layoutPositioning).toBe('ABSOLUTE');
    expect([a.x, b.x]).toEqual([0, 108]);
    expect([layer!.x, layer!.y]).toEqual([a.x, a.y]);
  });

  it('goes on the page over a layer inside an instance (Figma forbids adding children there)', async () => {
    fake = createNodeFakeFigma();
    const avatar = fake.rectangle({ name: 'Avatar', x: 10, y: 10, width: 50, height: 50, fills: [fake.imagePaint()] });
    fake.instance({ name: 'Profile', x: 200, y: 100, children: [avatar] });
    await launch(fake);
    const reply = await place(avatar.id, [png(64, 64)]);
    const [layer] = fake.created();
    expect(layer!.parent).toBe(fake.currentPage);
    expect(layer!.absoluteBoundingBox).toEqual(avatar.absoluteBoundingBox);
    expect(reply.notices).toEqual([expect.stringContaining('component instance')]);
  });
});

describe('no target', () => {
  it('puts a layer in the middle of the view, fitted to 1024 px, selected and scrolled to', async () => {
    fake = createNodeFakeFigma({ viewport: { center: { x: 5000, y: -300 } } });
    await launch(fake);
    const reply = await place(null, [png(1024, 1536)]);
    const [layer] = fake.created();
    expect(reply.nodeIds).toEqual([layer!.id]);
    expect([layer!.width, layer!.height]).toEqual([683, 1024]);
    expect(Math.abs(layer!.x + layer!.width / 2 - 5000)).toBeLessThanOrEqual(0.5); // whole-pixel position
    expect(layer!.y + layer!.height / 2).toBe(-300);
    expect(fake.currentPage.selection).toEqual([layer]);
    expect(fake.scrolledTo.at(-1)).toEqual([layer]);
    expect(layer!.getPluginData(PROVENANCE_KEY)).toBeTruthy();
  });
});

describe('variations', () => {
  it('mode "one" places only the first image', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    const reply = await place(hero.id, [png(64, 64, 1), png(64, 64, 2)]);
    expect(reply.nodeIds).toEqual([hero.id]);
    expect(imageHashes(hero)).toHaveLength(1);
    expect(fake.images.size).toBe(1);
  });

  it('mode "all" lays every image side by side right of the target, one undo step each', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 100, y: 50, width: 400, height: 300 });
    await launch(fake);
    const reply = await place(hero.id, [png(64, 48, 1), png(64, 48, 2), png(64, 48, 3)], 'all', 'Lake at dawn');
    const layers = fake.created();
    expect(reply.nodeIds).toEqual(layers.map((l) => l.id));
    expect(layers.map((l) => [l.x, l.y, l.width, l.height])).toEqual([
      [524, 50, 400, 300],
      [948, 50, 400, 300],
      [1372, 50, 400, 300],
    ]);
    expect(layers.map((l) => l.name)).toEqual(['Lake at dawn (1)', 'Lake at dawn (2)', 'Lake at dawn (3)']);
    expect(new Set(layers.map((l) => imageHashes(l)[0])).size).toBe(3);
    expect(hero.fills).toHaveLength(1); // the target itself is left alone
    expect(fake.undoSteps).toBe(3);

    // Cmd-Z removes one result and nothing else
    fake.undo();
    expect(fake.created().map((l) => l.id)).toEqual(reply.nodeIds.slice(0, 2));
    expect(hero.removed).toBe(false);
  });

  it('without a target, lays the row out centred in the view and selects it', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await place(null, [png(100, 100, 1), png(100, 100, 2)], 'all');
    const layers = fake.created();
    expect(layers.map((l) => [l.x, l.y])).toEqual([[-112, -50], [12, -50]]);
    expect(fake.currentPage.selection).toEqual(layers);
  });
});

describe('images Figma would refuse', () => {
  it('fails with a clear sentence for WebP and places nothing', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', fills: [solid] });
    await launch(fake);
    const reply = await place(hero.id, [webp()]);
    expect(reply).toMatchObject({ type: 'failed', message: 'The image is WebP; Figma only accepts PNG, JPEG or GIF' });
    expect(hero.fills).toEqual([solid]);
    expect(fake.images.size).toBe(0);
    expect(fake.undoSteps).toBe(0);
  });

  it('fails for an image over 4096 px, naming its size', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    const reply = await place(null, [png(5000, 8)]);
    expect(reply).toMatchObject({ type: 'failed', message: 'The image is 5000×8 px; Figma accepts at most 4096 px a side' });
    expect(fake.created()).toEqual([]);
  });

  it('in mode "all", one bad image stops all of them before anything is placed', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    const reply = await place(hero.id, [png(64, 64), webp()], 'all');
    expect(reply).toMatchObject({ type: 'failed', message: 'Image 2 of 2: The image is WebP; Figma only accepts PNG, JPEG or GIF' });
    expect(fake.created()).toEqual([]);
    expect(fake.images.size).toBe(0);
  });

  it('accepts JPEG results', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    const reply = await place(null, [{ bytes: new Uint8Array(jpegOf(300, 200)), width: 300, height: 200 }]);
    expect(reply.type).toBe('placed');
  });
});

describe('provenance', () => {
  it('is recorded on every placed layer with Regenerate, Expand to frame and Upscale 2× buttons', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 200, height: 100 });
    await launch(fake);
    await place(hero.id, [png(64, 64, 1), png(64, 64, 2)], 'all');
    for (const layer of fake.created()) {
      expect(JSON.parse(layer.getPluginData('framefill'))).toEqual(provenance);
      expect(layer.getRelaunchData()).toEqual({ regenerate: 'Regenerate with Framefill: Golden hour portrait of a barista, 85mm…', expand: 'Expand to frame', upscale: 'Upscale 2×' });
    }
  });

  it("keeps the longest prompt the API takes (32,000 characters, CJK) within Figma's limits: 100 kB of pluginData, 1000 characters of relaunch text", async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    const long = sampleProvenance({ prompt: '銅のやかん、木のテーブル、'.repeat(2_500).slice(0, 32_000) });
    const reply = await fake.request({ type: 'place', rid: `p${++rid}`, targetId: hero.id, images: [png(64, 64)], mode: 'one', name: 'Kettle', provenance: long });
    expect(reply.type).toBe('placed');
    expect(JSON.parse(hero.getPluginData('framefill')).prompt).toBe(long.prompt);
    expect(hero.getRelaunchData().regenerate!.length).toBeLessThanOrEqual(1000);
  });

  it('goes on the target itself when the image is a fill', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    await place(hero.id, [png(64, 64)]);
    expect(JSON.parse(hero.getPluginData('framefill'))).toEqual(provenance);
    expect(Object.keys(hero.getRelaunchData())).toEqual(['regenerate', 'expand', 'upscale']);
  });
});

describe('a target that changed while the image was made', () => {
  it('deleted: the image lands where it was, with a notice', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 300, y: 200, width: 400, height: 250 });
    fake.select(hero);
    await launch(fake);
    hero.remove();
    const reply = await place(hero.id, [png(64, 64)]);
    expect(reply.type).toBe('placed');
    expect(reply.notices).toEqual(['“Hero” was deleted while the image was made — placed the image where it was']);
    expect(fake.notifications.map((n) => n.message)).toContain(reply.notices[0]);
    const [layer] = fake.created();
    expect([layer!.x, layer!.y, layer!.width, layer!.height]).toEqual([300, 200, 400, 250]);
    expect(fake.currentPage.selection).toEqual([layer]);
  });

  it('deleted and never seen: the image lands in the middle of the view', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    hero.remove();
    const reply = await place(hero.id, [png(64, 64)]);
    expect(reply.notices).toEqual([expect.stringContaining('middle of the view')]);
    expect(fake.created()).toHaveLength(1);
  });

  it('moved to another page: placed here where it was', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 10, y: 20, width: 300, height: 300, children: [fake.text()] });
    fake.select(hero);
    await launch(fake);
    hero.attach(fake.pages[1]!);
    const reply = await place(hero.id, [png(64, 64)]);
    expect(reply.notices).toEqual(['“Hero” moved to “Page 2” — placed the image here, where it was']);
    const [layer] = fake.created();
    expect(layer!.parent).toBe(fake.pages[0]);
    expect([layer!.x, layer!.y]).toEqual([10, 20]);
    expect(hero.fills).toHaveLength(1);
  });

  it('the user went to another page: placed in the middle of their view', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    fake.select(hero);
    await launch(fake);
    fake.showPage(fake.pages[1]!);
    const reply = await place(hero.id, [png(64, 64)]);
    expect(reply.notices).toEqual(['“Hero” is on “Page 1”, not this page — placed the image in the middle of the view']);
    expect(fake.created()[0]!.parent).toBe(fake.pages[1]);
  });

  it('locked: a new layer over it, the target untouched', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 50, y: 60, width: 200, height: 100 });
    fake.select(hero);
    await launch(fake);
    hero.locked = true;
    const reply = await place(hero.id, [png(64, 64)]);
    expect(reply.notices).toEqual(['“Hero” is locked — placed the image as a new layer over it, leaving it untouched']);
    expect(hero.fills).toHaveLength(1);
    const [layer] = fake.created();
    expect(layer!.absoluteBoundingBox).toEqual(hero.absoluteBoundingBox);
  });
});

describe('placing a history entry again', () => {
  it('reuses the stored image by hash, and fails clearly for an unknown hash', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    const other = fake.frame({ name: 'Other', children: [fake.text()] });
    await launch(fake);
    const first = await place(hero.id, [png(64, 64)]);
    const again = await fake.request({ type: 'place-hash', rid: 'h1', imageHash: first.imageHash, targetId: other.id, name: 'again', provenance });
    expect(again).toMatchObject({ type: 'placed', imageHash: first.imageHash });
    expect(imageHashes(fake.node(again.nodeIds[0])!)).toEqual([first.imageHash]);
    const missing = await fake.request({ type: 'place-hash', rid: 'h2', imageHash: 'f'.repeat(40), targetId: null, name: 'x', provenance });
    expect(missing).toEqual({ type: 'failed', rid: 'h2', message: 'That image is no longer in this file — generate it again' });
  });
});
