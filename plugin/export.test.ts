import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import { pngAlpha } from '../test/fake-figma/png-alpha';
import { imageSize } from '../test/support/images';
import { exportSettingsFor, smaller } from './export-settings';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

const exportRequest = (nodeIds: string[], extra: { maxSide?: number; maskFor?: string | null } = {}) => ({
  type: 'export',
  rid: `e${Math.random()}`,
  nodeIds,
  maxSide: extra.maxSide ?? 2048,
  maskFor: extra.maskFor ?? null,
});

describe('export settings (pure)', () => {
  it('constrains the longest side only when the node is larger', () => {
    expect(exportSettingsFor({ width: 3000, height: 1000 }, 2048, 'PNG')).toEqual({ format: 'PNG', constraint: { type: 'WIDTH', value: 2048 }, useAbsoluteBounds: true });
    expect(exportSettingsFor({ width: 1000, height: 3000 }, 2048, 'JPG').constraint).toEqual({ type: 'HEIGHT', value: 2048 });
    expect(exportSettingsFor({ width: 2048, height: 300 }, 2048, 'PNG').constraint).toEqual({ type: 'SCALE', value: 1 });
  });

  it('keeps the smaller encoding, the lossless one on a tie', () => {
    const a = { bytes: new Uint8Array(10), name: 'png' };
    expect(smaller(a, { bytes: new Uint8Array(9), name: 'jpeg' }).name).toBe('jpeg');
    expect(smaller(a, { bytes: new Uint8Array(10), name: 'jpeg' }).name).toBe('png');
  });
});

describe('references out', () => {
  it('exports a 3000×1000 frame at maxSide 2048 as a 2048×683 PNG, size read from the bytes', async () => {
    fake = createNodeFakeFigma();
    const wide = fake.frame({ name: 'Wide', width: 3000, height: 1000 });
    await launch(fake);
    const reply = await fake.request(exportRequest([wide.id]));
    expect(reply.type).toBe('exported');
    const [image] = reply.images;
    expect(image).toMatchObject({ nodeId: wide.id, format: 'png', width: 2048, height: 683 });
    expect(imageSize(image.bytes)).toEqual({ format: 'png', width: 2048, height: 683 });
    expect(fake.exports.at(-1)!.settings).toMatchObject({ format: 'PNG', constraint: { type: 'WIDTH', value: 2048 } });
    expect(reply.mask).toBeNull();
  });

  it('keeps small nodes at 1× and tall ones within maxSide by height', async () => {
    fake = createNodeFakeFigma();
    const small = fake.rectangle({ width: 400, height: 300 });
    const tall = fake.frame({ width: 1000, height: 3000 });
    await launch(fake);
    const reply = await fake.request(exportRequest([small.id, tall.id], { maxSide: 1024 }));
    expect(reply.images.map((i: { width: number; height: number }) => [i.width, i.height])).toEqual([[400, 300], [341, 1024]]);
  });

  it('sends photographic layers as JPEG when smaller, graphics as PNG only', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Photo', width: 800, height: 600, children: [fake.rectangle({ width: 800, height: 600, fills: [fake.imagePaint()] })] });
    const flat = fake.frame({ name: 'Flat', width: 800, height: 600 });
    await launch(fake);
    const reply = await fake.request(exportRequest([photo.id, flat.id]));
    const [p, f] = reply.images;
    expect(p.format).toBe('jpeg');
    expect(imageSize(p.bytes).format).toBe('jpeg');
    const photoExports = fake.exports.filter((e) => e.nodeId === photo.id);
    expect(photoExports.map((e) => e.format)).toEqual(['png', 'jpeg']);
    expect(p.bytes.byteLength).toBe(Math.min(...photoExports.map((e) => e.bytes)));
    expect(f.format).toBe('png');
    expect(fake.exports.filter((e) => e.nodeId === flat.id)).toHaveLength(1);
  });

  it('exports a rotated layer by its on-canvas box', async () => {
    fake = createNodeFakeFigma();
    const turned = fake.rectangle({ width: 3000, height: 500, rotation: 90 });
    await launch(fake);
    const reply = await fake.request(exportRequest([turned.id]));
    expect([reply.images[0].width, reply.images[0].height]).toEqual([341, 2048]);
  });

  it('leaves a layer named “mask” out of the reference image', async () => {
    fake = createNodeFakeFigma();
    const mask = fake.rectangle({ name: 'mask', x: 10, y: 10, width: 20, height: 20 });
    const photo = fake.rectangle({ name: 'Photo', width: 100, height: 100 });
    const card = fake.frame({ name: 'Card', width: 100, height: 100, children: [photo, mask] });
    await launch(fake);
    await fake.request(exportRequest([card.id]));
    expect(fake.exports[0]!.paintedIds).toEqual([card.id, photo.id]);
    expect(mask.visible).toBe(true);
  });

  it('leaves a Framefill area over a layer inside out of the reference image', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', x: 10, y: 10, width: 50, height: 50, fills: [fake.imagePaint()] });
    const card = fake.frame({ name: 'Card', width: 100, height: 100, children: [photo] });
    await launch(fake);
    await fake.deliver({ type: 'create-area', targetId: photo.id });
    await fake.settle();
    const area = card.children.find((n) => n.name === 'Framefill area')!;
    await fake.request(exportRequest([card.id]));
    expect(fake.exports.at(-1)!.paintedIds).toEqual([card.id, photo.id]);
    expect(area.visible).toBe(true);
  });

  it('leaves out a pinned reference deleted meanwhile, and fails clearly when nothing is left', async () => {
    fake = createNodeFakeFigma();
    const target = fake.frame({ name: 'Target', children: [fake.text()] });
    const gone = fake.frame({ name: 'Moodboard' });
    fake.select(target, gone);
    const { logs } = await launch(fake);
    gone.remove();
    const partial = await fake.request(exportRequest([target.id, gone.id]));
    expect(partial.type).toBe('exported');
    expect(partial.images.map((i: { nodeId: string }) => i.nodeId)).toEqual([target.id]);
    expect(logs.join('\n')).toContain('“Moodboard” was deleted');
    const none = await fake.request(exportRequest([gone.id]));
    expect(none).toMatchObject({ type: 'failed', message: '“Moodboard” was deleted — select the references again' });
    const page = await fake.request(exportRequest([fake.pages[0]!.id]));
    expect(page).toMatchObject({ type: 'failed', message: expect.stringContaining("can't be exported") });
  });
});

describe('mask export', () => {
  const shadow = { type: 'DROP_SHADOW', color: { r: 0, g: 0, b: 0, a: 0.4 }, offset: { x: 0, y: 8 }, radius: 24, spread: 0, visible: true, blendMode: 'NORMAL' } as const;

  function scene() {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', width: 3000, height: 1000, fills: [fake.imagePaint()] });
    const title = fake.text({ name: 'Title', x: 100, y: 100, width: 800, height: 100 });
    const mask = fake.ellipse({ name: 'Mask', x: 1500, y: 300, width: 600, height: 300, opacity: 0.4, visible: false, fills: [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 } }] });
    const hero = fake.frame({ name: 'Hero', width: 3000, height: 1000, effects: [shadow], children: [photo, title, mask] });
    return { hero, photo, title, mask };
  }

  it('is exactly the target export’s size, opaque only where the mask layer sits', async () => {
    const { hero, mask } = scene();
    fake.select(hero);
    const { init } = await launch(fake);
    expect(init.selection.targets[0]).toMatchObject({ maskId: mask.id, empty: false });
    const reply = await fake.request(exportRequest([hero.id], { maskFor: hero.id }));
    expect(reply.type).toBe('exported');
    const target = reply.images[0];
    expect([reply.mask.width, reply.mask.height]).toEqual([target.width, target.height]);
    const alpha = pngAlpha(reply.mask.bytes);
    expect([alpha.width, alpha.height]).toEqual([2048, 683]);
    const scale = 2048 / 3000;
    // inside the mask ellipse's box: opaque; elsewhere (title, photo, frame background): transparent
    expect(alpha.alphaAt(Math.round(1800 * scale), Math.round(450 * scale))).toBe(255);
    expect(alpha.alphaAt(Math.round(300 * scale), Math.round(150 * scale))).toBe(0);
    expect(alpha.alphaAt(Math.round(2800 * scale), Math.round(900 * scale))).toBe(0);
    const maskExport = fake.exports.at(-1)!;
    expect(maskExport.paintedIds).toEqual([mask.id]);
    expect(maskExport.painted[0]).toEqual({ x: Math.round(1500 * scale), y: Math.round(300 * scale), width: Math.round(600 * scale), height: Math.round(300 * scale) });
  });

  it('leaves the target exactly as it was, with nothing to undo', async () => {
    const { hero, photo, title, mask } = scene();
    const before = JSON.stringify([hero.fills, hero.effects, photo.visible, title.visible, mask.visible, mask.opacity, mask.fills, mask.isMask]);
    await launch(fake);
    await fake.request(exportRequest([hero.id], { maskFor: hero.id }));
    expect(JSON.stringify([hero.fills, hero.effects, photo.visible, title.visible, mask.visible, mask.opacity, mask.fills, mask.isMask])).toBe(before);
    expect(fake.undoSteps).toBe(0);
  });

  it('matches the target even when the mask is requested without exporting the target', async () => {
    const { hero } = scene();
    await launch(fake);
    const reply = await fake.request(exportRequest([fake.frame({ name: 'Style' }).id], { maskFor: hero.id, maxSide: 1536 }));
    expect([reply.mask.width, reply.mask.height]).toEqual([1536, 512]);
  });

  it('fails clearly when the mask layer is gone', async () => {
    const { hero, mask } = scene();
    await launch(fake);
    mask.remove();
    const reply = await fake.request(exportRequest([hero.id], { maskFor: hero.id }));
    expect(reply).toMatchObject({ type: 'failed', message: '“Hero” has no layer named “mask” any more — add one or run without a mask' });
  });
});
