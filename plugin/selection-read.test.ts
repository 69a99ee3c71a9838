import { describe, expect, it } from 'vitest';
import type { Transform } from './figma-types';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

const solid = { type: 'SOLID', color: { r: 0.2, g: 0.4, b: 0.6 } } as const;

describe('selection: the image a target shows (for the edit tools)', () => {
  it('reports the topmost visible image fill with the image’s own pixel size, not the layer’s', async () => {
    fake = createNodeFakeFigma();
    const under = fake.imagePaint(32, 32, 1);
    const photo = fake.imagePaint(1024, 768, 2);
    const hiddenTop = { ...fake.imagePaint(16, 16, 3), visible: false };
    const hero = fake.frame({ name: 'Hero', width: 1600, height: 900, fills: [solid, under, photo, hiddenTop] });
    fake.select(hero);
    const { init } = await launch(fake);
    expect(init.selection.targets[0]!.image).toEqual({ hash: photo.imageHash, width: 1024, height: 768, scaleMode: 'FILL', framefill: false, originals: 0 });
  });

  it('passes a CROP fill’s transform through, and reports nothing for a layer without an image', async () => {
    fake = createNodeFakeFigma();
    const crop = { ...fake.imagePaint(800, 600), scaleMode: 'CROP' as const, imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.1]] as Transform };
    const cropped = fake.rectangle({ name: 'Cropped', fills: [crop] });
    const plain = fake.rectangle({ name: 'Plain', fills: [solid] });
    fake.select(cropped, plain);
    const { init } = await launch(fake);
    const [c, p] = init.selection.targets;
    expect(c!.image).toMatchObject({ scaleMode: 'CROP', transform: [[0.5, 0, 0.25], [0, 0.5, 0.1]] });
    expect(p).not.toHaveProperty('image');
  });

  it('says when Framefill made the image, with its prompt', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    fake.select(hero);
    await launch(fake);
    const provenance = sampleProvenance({ prompt: 'Ceramic cup on linen' });
    const from = fake.posted.length;
    const reply = await fake.request({ type: 'place', rid: 'p1', targetId: hero.id, images: [{ bytes: new Uint8Array(pngOf(48, 32)), width: 48, height: 32 }], mode: 'one', name: 'cup', provenance });
    const selection = await fake.waitFor((m) => m.type === 'selection', 2000, from);
    expect(selection.selection.targets[0].image).toEqual({ hash: reply.imageHash, width: 48, height: 32, scaleMode: 'FILL', framefill: true, prompt: 'Ceramic cup on linen', originals: 0 });

    // the user swaps in their own image: no longer Framefill's
    const own = fake.imagePaint(20, 20, 9);
    const next = fake.posted.length;
    hero.fills = [own];
    fake.figma.commitUndo();
    const swapped = await fake.waitFor((m) => m.type === 'selection', 2000, next);
    expect(swapped.selection.targets[0].image).toMatchObject({ hash: own.imageHash, framefill: false });
    expect(swapped.selection.targets[0].image).not.toHaveProperty('prompt');
  });
});

describe('selection: a Framefill area stands for its target', () => {
  async function withArea() {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 400, height: 300, fills: [fake.imagePaint(400, 300)] });
    fake.select(hero);
    await launch(fake);
    const from = fake.posted.length;
    await fake.deliver({ type: 'create-area', targetId: hero.id });
    await fake.waitFor((m) => m.type === 'selection', 2000, from);
    const area = hero.parent!.children.find((n) => n.name === 'Framefill area')!;
    return { hero, area, shape: area.children[0]! };
  }

  it('reports the target (with areaId) when the area, or a shape in it, is selected — once when both are', async () => {
    const { hero, area, shape } = await withArea();
    for (const selected of [[area], [shape], [hero, area, shape]]) {
      const from = fake.posted.length;
      fake.select(...selected);
      const message = await fake.waitFor((m) => m.type === 'selection', 2000, from);
      expect(message.selection.skipped).toEqual([]);
      expect(message.selection.targets.map((t: { id: string; areaId?: string }) => [t.id, t.areaId])).toEqual([[hero.id, area.id]]);
      expect(message.selection.targets[0].image).toMatchObject({ width: 400, height: 300 });
    }
  });

  it('skips an area whose layer was deleted, saying why', async () => {
    const { hero, area } = await withArea();
    hero.remove();
    fake.figma.commitUndo();
    const from = fake.posted.length;
    fake.select(area);
    const message = await fake.waitFor((m) => m.type === 'selection', 2000, from);
    expect(message.selection).toEqual({
      targets: [],
      skipped: [{ id: area.id, name: 'Framefill area', type: 'FRAME', reason: 'The layer this area was made for has been deleted — delete the area, or undo to bring the layer back' }],
    });
  });
});
