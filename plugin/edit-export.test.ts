import { describe, expect, it } from 'vitest';
import type { Transform } from './figma-types';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import { pngAlpha } from '../test/fake-figma/png-alpha';
import { pngOf } from '../test/support/images';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

let rid = 0;
const exportImage = (nodeId: string, source: 'image' | 'fill', area = false, maxSide = 2048) =>
  fake.request({ type: 'export-image', rid: `x${++rid}`, nodeId, source, maxSide, area });
const paintOf = (bytes: Uint8Array) => ({ type: 'IMAGE', imageHash: fake.figma.createImage(bytes).hash, scaleMode: 'FILL' }) as const;
const gif = (width: number, height: number) => new Uint8Array([...Buffer.from('GIF89a'), width & 255, width >> 8, height & 255, height >> 8, 0, 0, 0, 0x3b]);

async function withArea(target: FakeNode): Promise<{ area: FakeNode; shape: FakeNode }> {
  const from = fake.posted.length;
  await fake.deliver({ type: 'create-area', targetId: target.id });
  await fake.waitFor((m) => m.type === 'selection', 2000, from);
  const area = target.parent!.children.find((n) => n.getPluginData('framefill-area') === target.id)!;
  return { area, shape: area.children[0]! };
}

describe("export-image 'image': the fill's image as stored", () => {
  it('sends the image’s own bytes, whole and at its own size, whatever the layer’s size or crop', async () => {
    fake = createNodeFakeFigma();
    const stored = new Uint8Array(pngOf(300, 200, 5));
    const crop = { ...paintOf(stored), scaleMode: 'CROP' as const, imageTransform: [[0.5, 0, 0], [0, 0.5, 0]] as Transform };
    const photo = fake.rectangle({ name: 'Photo', width: 1600, height: 900, fills: [crop] });
    await launch(fake);
    const reply = await exportImage(photo.id, 'image');
    expect(reply).toMatchObject({ type: 'exported', mask: null, images: [{ nodeId: photo.id, format: 'png', width: 300, height: 200 }] });
    expect([...reply.images[0].bytes]).toEqual([...stored]);
    expect(fake.exports).toEqual([]); // nothing rendered, nothing changed
    expect(fake.undoSteps).toBe(0);
  });

  it('fails with a sentence for a GIF and for a layer that shows no image', async () => {
    fake = createNodeFakeFigma();
    const animated = fake.rectangle({ name: 'Animated', fills: [paintOf(gif(40, 30))] });
    const plain = fake.rectangle({ name: 'Plain' });
    await launch(fake);
    expect(await exportImage(animated.id, 'image')).toMatchObject({ type: 'failed', message: 'The image in “Animated” is a GIF; the edit tools work on PNG and JPEG images — replace it with one' });
    expect(await exportImage(plain.id, 'image')).toMatchObject({ type: 'failed', message: '“Plain” shows no image any more' });
    expect(await exportImage('9:999', 'image')).toMatchObject({ type: 'failed', message: 'The layer to edit was deleted — select it again' });
  });
});

describe("export-image 'fill': the layer as its fills alone show it", () => {
  it('hides every layer inside for the export and puts them back', async () => {
    fake = createNodeFakeFigma();
    const title = fake.text({ name: 'Title', x: 10, y: 10, width: 200, height: 40 });
    const badge = fake.ellipse({ name: 'Badge', x: 300, y: 200, width: 50, height: 50 });
    const hero = fake.frame({ name: 'Hero', width: 3000, height: 1500, fills: [fake.imagePaint()], children: [title, badge] });
    await launch(fake);
    const reply = await exportImage(hero.id, 'fill');
    expect(reply).toMatchObject({ type: 'exported', mask: null, images: [{ nodeId: hero.id, format: 'png', width: 2048, height: 1024 }] });
    const exported = fake.exports.at(-1)!;
    expect(exported.paintedIds).toEqual([hero.id]);
    expect(exported.settings).toMatchObject({ format: 'PNG', constraint: { type: 'WIDTH', value: 2048 }, useAbsoluteBounds: true });
    expect([title.visible, badge.visible]).toEqual([true, true]);
    expect(fake.undoSteps).toBe(0);
  });

  it('exports a rotated layer at its own shape, not its tilted bounding box', async () => {
    fake = createNodeFakeFigma();
    const turned = fake.rectangle({ name: 'Turned', width: 400, height: 200, rotation: 30, fills: [fake.imagePaint()] });
    await launch(fake);
    const reply = await exportImage(turned.id, 'fill');
    expect([reply.images[0].width, reply.images[0].height]).toEqual([400, 200]);
    expect(turned.rotation).toBe(30);
  });

  it('exports a layer inside a rotated frame at its own shape too, and leaves both as they were', async () => {
    fake = createNodeFakeFigma();
    const turned = fake.rectangle({ name: 'Turned', x: 40, y: 30, width: 400, height: 200, rotation: 10, fills: [fake.imagePaint()] });
    const card = fake.frame({ name: 'Tilted card', width: 600, height: 400, rotation: -25, children: [turned] });
    await launch(fake);
    const before = JSON.stringify([turned.absoluteTransform, card.absoluteTransform]);
    const reply = await exportImage(turned.id, 'fill');
    expect([reply.images[0].width, reply.images[0].height]).toEqual([400, 200]);
    expect(JSON.stringify([turned.absoluteTransform, card.absoluteTransform])).toBe(before);
    expect(fake.undoSteps).toBe(0);
  });
});

describe('export-image with the area as the mask', () => {
  async function scene(rotation = 0, parentRotation = 0) {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', x: 100, y: 50, width: 800, height: 400, rotation, fills: [fake.imagePaint()] });
    fake.frame({ name: 'Page frame', width: 2000, height: 1000, rotation: parentRotation, children: [photo] });
    await launch(fake);
    const { area, shape } = await withArea(photo);
    return { photo, area, shape };
  }

  it('is the fill export’s size, opaque exactly over the area’s shapes, the area’s own outline left out', async () => {
    const { photo, area, shape } = await scene();
    const reply = await exportImage(photo.id, 'fill', true, 400);
    expect(reply.type).toBe('exported');
    const image = reply.images[0];
    expect([reply.mask.width, reply.mask.height]).toEqual([image.width, image.height]);
    expect([image.width, image.height]).toEqual([400, 200]);
    const alpha = pngAlpha(reply.mask.bytes);
    // the ellipse covers the middle half: (100..300, 50..150) at half scale
    expect(alpha.alphaAt(200, 100)).toBe(255);
    expect([alpha.alphaAt(20, 20), alpha.alphaAt(380, 180), alpha.alphaAt(200, 10)]).toEqual([0, 0, 0]);
    const maskExport = fake.exports.at(-1)!;
    expect(maskExport.nodeId).toBe(area.id);
    expect(maskExport.paintedIds).toEqual([shape.id]);
    // all put back: the outline, the translucent shape, nothing to undo beyond Select area
    expect(area.strokes).toHaveLength(1);
    expect(shape.fills).toEqual([expect.objectContaining({ opacity: 0.4 })]);
    expect(fake.undoSteps).toBe(1);
  });

  it('paints every visible shape the user drew inside, and leaves hidden ones out', async () => {
    const { photo, area, shape } = await scene(15);
    const drawn = fake.rectangle({ name: 'Rectangle', x: 0, y: 0, width: 100, height: 100, fills: [{ type: 'SOLID', color: { r: 1, g: 0, b: 0 }, opacity: 0.2 }] });
    const hidden = fake.rectangle({ name: 'Hidden', x: 700, y: 300, width: 100, height: 100, visible: false });
    area.appendChild(drawn);
    area.appendChild(hidden);
    const reply = await exportImage(photo.id, 'fill', true, 800);
    const alpha = pngAlpha(reply.mask.bytes);
    expect([alpha.width, alpha.height]).toEqual([800, 400]);
    expect(alpha.alphaAt(50, 50)).toBe(255);
    expect(alpha.alphaAt(750, 350)).toBe(0);
    expect(fake.exports.at(-1)!.paintedIds).toEqual([shape.id, drawn.id]);
    expect(drawn.fills).toEqual([{ type: 'SOLID', color: { r: 1, g: 0, b: 0 }, opacity: 0.2 }]);
  });

  it('matches the fill export inside a rotated frame: both upright at the image’s shape', async () => {
    const { photo } = await scene(0, 20);
    const reply = await exportImage(photo.id, 'fill', true, 800);
    expect(reply.type).toBe('exported');
    expect([reply.images[0].width, reply.images[0].height]).toEqual([800, 400]);
    expect([reply.mask.width, reply.mask.height]).toEqual([800, 400]);
    const alpha = pngAlpha(reply.mask.bytes);
    expect([alpha.alphaAt(400, 200), alpha.alphaAt(20, 20)]).toEqual([255, 0]);
  });

  it('fails clearly when the area was moved off the image, is empty, or is gone', async () => {
    const { photo, area, shape } = await scene();
    area.x += 30;
    expect(await exportImage(photo.id, 'fill', true)).toMatchObject({ type: 'failed', message: 'The area no longer lines up with “Photo” — move it back over the image, or delete it and use Select area again' });
    area.x -= 30;
    shape.visible = false;
    expect(await exportImage(photo.id, 'fill', true)).toMatchObject({ type: 'failed', message: 'The area over “Photo” has no visible shape in it — draw the part to change inside it' });
    expect(shape.visible).toBe(false);
    area.remove();
    expect(await exportImage(photo.id, 'fill', true)).toMatchObject({ type: 'failed', message: '“Photo” has no area any more — use Select area again' });
  });
});
