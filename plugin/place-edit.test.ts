import { describe, expect, it } from 'vitest';
import type { Transform } from './figma-types';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';
import type { EditTool } from './messages';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

type PaintLike = { type: string; imageHash?: string; scaleMode?: string; visible?: boolean; imageTransform?: unknown; opacity?: number };
const fillsOf = (node: FakeNode) => node.fills as unknown as PaintLike[];
const solid = { type: 'SOLID', color: { r: 0.2, g: 0.4, b: 0.6 } } as const;
const result = (w: number, h: number, seed = 1) => ({ bytes: new Uint8Array(pngOf(w, h, seed)), width: w, height: h });
let rid = 0;
function placeEdit(targetId: string, tool: EditTool, parentHash: string | null, areaId: string | null = null, seed = 1) {
  const provenance = sampleProvenance({ prompt: 'Continue the beach', action: tool, ...(parentHash ? { parentImageHash: parentHash } : {}) });
  return fake.request({ type: 'place', rid: `e${++rid}`, targetId, images: [result(64, 48, seed)], mode: 'one', name: 'Continue the beach', provenance, edit: { tool, parentHash, areaId } });
}
async function selectionAfter(action: () => Promise<unknown>) {
  const from = fake.posted.length;
  await action();
  return (await fake.waitFor((m) => m.type === 'selection', 2000, from)).selection;
}

describe('an edit tool’s result replaces the image it was made from (expand, area, upscale)', () => {
  it('takes that paint’s place, shown whole (FILL, no crop), the original kept hidden right below it — one undo step', async () => {
    fake = createNodeFakeFigma();
    const crop = { ...fake.imagePaint(80, 80, 1), scaleMode: 'CROP' as const, imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0.25]] as Transform, opacity: 0.9 };
    const top = fake.imagePaint(20, 20, 2);
    const hero = fake.frame({ name: 'Hero', width: 1600, height: 900, fills: [solid, crop, top] });
    fake.select(hero);
    await launch(fake);
    const before = fillsOf(hero);
    const reply = await placeEdit(hero.id, 'expand', crop.imageHash);
    expect(reply).toMatchObject({ type: 'placed', nodeIds: [hero.id], notices: [] });
    const fills = fillsOf(hero);
    expect(fills.map((p) => [p.type, p.imageHash ?? null, p.visible ?? true])).toEqual([
      ['SOLID', null, true],
      ['IMAGE', crop.imageHash, false],
      ['IMAGE', reply.imageHash, true],
      ['IMAGE', top.imageHash, true],
    ]);
    expect(fills[2]).toEqual({ type: 'IMAGE', imageHash: reply.imageHash, scaleMode: 'FILL', opacity: 0.9 });
    expect(JSON.parse(hero.getPluginData('framefill'))).toMatchObject({ action: 'expand', parentImageHash: crop.imageHash });
    expect(fake.created()).toEqual([]);
    expect(fake.undoSteps).toBe(1);
    fake.undo();
    expect(fillsOf(hero)).toEqual(before);
  });

  it('counts the kept original on the selection, and Discard original drops it as one undo step', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.imagePaint(64, 64, 1);
    const userHidden = { ...fake.imagePaint(32, 32, 7), visible: false };
    const hero = fake.rectangle({ name: 'Hero', fills: [userHidden, photo] });
    fake.select(hero);
    const { init } = await launch(fake);
    expect(init.selection.targets[0]?.image?.originals).toBe(0);
    let upscaled = '';
    const after = await selectionAfter(async () => (upscaled = (await placeEdit(hero.id, 'upscale', photo.imageHash)).imageHash));
    expect(after.targets[0].image).toMatchObject({ hash: upscaled, framefill: true, prompt: 'Continue the beach', originals: 1 });

    const discarded = await selectionAfter(() => fake.deliver({ type: 'discard-originals', targetId: hero.id }));
    expect(discarded.targets[0].image.originals).toBe(0);
    // the paint the user hid themselves stays
    expect(fillsOf(hero).map((p) => p.imageHash)).toEqual([userHidden.imageHash, upscaled]);
    expect(fake.undoSteps).toBe(2);
    fake.undo();
    expect(fillsOf(hero).map((p) => p.imageHash)).toEqual([userHidden.imageHash, photo.imageHash, upscaled]);
  });

  it('replaces the topmost visible image when the parent is gone, and fills as usual when no image is left', async () => {
    fake = createNodeFakeFigma();
    const other = fake.imagePaint(30, 30, 4);
    const hero = fake.rectangle({ name: 'Hero', fills: [other] });
    const bare = fake.rectangle({ name: 'Bare', fills: [solid] });
    await launch(fake);
    const swapped = await placeEdit(hero.id, 'upscale', 'f'.repeat(40));
    expect(fillsOf(hero).map((p) => [p.imageHash, p.visible ?? true])).toEqual([[other.imageHash, false], [swapped.imageHash, true]]);
    const filled = await placeEdit(bare.id, 'upscale', other.imageHash);
    expect(fillsOf(bare).map((p) => p.type)).toEqual(['SOLID', 'IMAGE']);
    expect(fillsOf(bare).at(-1)?.imageHash).toBe(filled.imageHash);
  });

  it('removes the area it used in the same undo step; Undo brings both back', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.imagePaint(64, 64, 1);
    const hero = fake.rectangle({ name: 'Hero', fills: [photo] });
    fake.select(hero);
    await launch(fake);
    await selectionAfter(() => fake.deliver({ type: 'create-area', targetId: hero.id }));
    await fake.settle(); // the shape is selected
    const area = fake.currentPage.children.find((n) => n.name === 'Framefill area')!;
    const after = await selectionAfter(() => placeEdit(hero.id, 'area', photo.imageHash, area.id));
    expect(area.removed).toBe(true);
    // the selected shape went with the area: the edited image is selected instead
    expect(fake.currentPage.selection).toEqual([hero]);
    expect(after.targets.map((t: { id: string; areaId?: string; image: { originals: number } }) => [t.id, t.areaId, t.image.originals])).toEqual([[hero.id, undefined, 1]]);
    expect(fake.undoSteps).toBe(2);
    fake.undo();
    expect(area.removed).toBe(false);
    expect(fillsOf(hero).map((p) => p.imageHash)).toEqual([photo.imageHash]);
  });
});

describe('Cut out', () => {
  it('places a new layer right above the target, even on Framefill’s own image, the target untouched', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 10, y: 20, width: 300, height: 200 });
    const card = fake.frame({ name: 'Card', width: 600, height: 400, children: [hero, fake.text({ name: 'Title' })] });
    await launch(fake);
    const first = await fake.request({ type: 'place', rid: 'gen', targetId: hero.id, images: [result(64, 64)], mode: 'one', name: 'beach', provenance: sampleProvenance() });
    const heroFills = hero.fills;
    const reply = await placeEdit(hero.id, 'cutout', first.imageHash, null, 3);
    const layer = fake.node(reply.nodeIds[0])!;
    expect(card.children.map((n) => n.name)).toEqual(['Hero', 'Continue the beach', 'Title']);
    expect(layer).toMatchObject({ type: 'RECTANGLE', x: 10, y: 20, width: 300, height: 200 });
    expect(fillsOf(layer)).toEqual([{ type: 'IMAGE', imageHash: reply.imageHash, scaleMode: 'FILL' }]);
    expect(JSON.parse(layer.getPluginData('framefill'))).toMatchObject({ action: 'cutout', parentImageHash: first.imageHash });
    expect(hero.fills).toBe(heroFills);
    expect(fake.undoSteps).toBe(2);
  });
});
