// The designer's loop in the sandbox (issue 13): running again on Framefill's own image replaces it
// in place, and the panel hears of Undo, Redo and canvas edits without a selection change.
import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake);

const provenance = sampleProvenance();
const png = (w: number, h: number, seed = 1) => ({ bytes: new Uint8Array(pngOf(w, h, seed)), width: w, height: h });
let n = 0;
const place = (targetId: string | null, images: unknown[], mode: 'one' | 'all' = 'one') =>
  fake.request({ type: 'place', rid: `r${++n}`, targetId, images, mode, name: 'Cup', provenance });
const solid = { type: 'SOLID', color: { r: 0.2, g: 0.4, b: 0.6 } } as const;
const imageHashes = (node: FakeNode) => (node.fills as unknown as Array<{ type: string; imageHash?: string }>).filter((p) => p.type === 'IMAGE').map((p) => p.imageHash);
/** the next message of a type after `from` */
const next = (type: string, from: number) => fake.waitFor((m) => m.type === type, 2000, from);

describe('running again on a frame Framefill filled', () => {
  it('replaces the image in place; one undo brings the previous image back, another the empty frame', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', fills: [solid] });
    fake.select(hero);
    await launch(fake);
    const first = await place(hero.id, [png(64, 64, 1)]);
    const second = await place(hero.id, [png(64, 64, 2)]);
    expect(second.imageHash).not.toBe(first.imageHash);
    expect(imageHashes(hero)).toEqual([second.imageHash]);
    expect((hero.fills as unknown as Array<{ type: string }>)[0]).toMatchObject(solid);
    expect(fake.created()).toEqual([]);
    expect(fake.undoSteps).toBe(2);

    fake.undo();
    expect(imageHashes(hero)).toEqual([first.imageHash]);
    fake.undo();
    expect(hero.fills).toEqual([solid]);
  });

  it('is a restyle again once the user adds content or swaps the image for their own', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    const card = fake.frame({ name: 'Card' });
    fake.select(hero, card);
    await launch(fake);
    await place(hero.id, [png(64, 64, 1)]);
    await place(card.id, [png(64, 64, 2)]);
    fake.text({ name: 'Title' }).attach(hero); // content drawn over the image
    card.fills = [fake.imagePaint(32, 32, 9)]; // the user's own picture
    const from = fake.posted.length;
    fake.select(hero, card);
    const update = await next('selection', from);
    expect(update.selection.targets.map((t: { empty: boolean }) => t.empty)).toEqual([false, false]);
    expect(update.selection.targets.some((t: { framefillImage?: boolean }) => t.framefillImage)).toBe(false);
  });
});

describe('the panel stays true to the canvas', () => {
  it('after Undo and Redo, the selection is sent again without a selection change', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', fills: [solid] });
    const photo = fake.rectangle({ name: 'Photo', fills: [fake.imagePaint()] });
    fake.select(hero, photo);
    await launch(fake);
    await place(hero.id, [png(64, 64, 1)]);
    const changes = fake.selectionChanges;

    let from = fake.posted.length;
    fake.undo();
    const undone = await next('selection', from);
    expect(undone.selection.targets[0]).toEqual(expect.objectContaining({ id: hero.id, empty: true }));
    expect(undone.selection.targets[0]).not.toHaveProperty('framefillImage');

    from = fake.posted.length;
    fake.redo();
    const redone = await next('selection', from);
    expect(redone.selection.targets[0]).toMatchObject({ id: hero.id, framefillImage: true });
    expect(fake.selectionChanges).toBe(changes); // nobody touched the selection
  });

  it('after a resize, the new size; after a delete, the target is gone', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 400, height: 300 });
    fake.select(hero);
    await launch(fake);
    let from = fake.posted.length;
    hero.resize(800, 200);
    fake.journal.commit();
    const resized = await next('selection', from);
    expect(resized.selection.targets[0]).toMatchObject({ width: 800, height: 200 });

    from = fake.posted.length;
    hero.remove();
    fake.journal.commit();
    const gone = await next('selection', from);
    expect(gone.selection.targets).toEqual([]);
  });

  it('reports each placed image that no longer shows after Undo, and shows again after Redo', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    const row = await place(hero.id, [png(64, 64, 1), png(64, 64, 2)], 'all');
    const rid = `r${n}`;
    let from = fake.posted.length;
    fake.undo(); // the second of the row
    let report = await next('placements', from);
    expect(report.placements).toEqual([{ rid, shown: [true, false] }]);

    from = fake.posted.length;
    fake.redo();
    report = await next('placements', from);
    expect(report.placements).toEqual([{ rid, shown: [true, true] }]);
    expect(row.nodeIds).toHaveLength(2);
  });

  it('sends nothing when an edit changes nothing the panel shows', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    const other = fake.frame({ name: 'Other' });
    fake.select(hero);
    await launch(fake);
    const from = fake.posted.length;
    other.x = 500;
    fake.journal.commit();
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.posted.slice(from)).toEqual([]);
  });
});

describe('a new layer in the middle of the view', () => {
  it('goes beside the frame in the middle instead of over it, without moving the view', async () => {
    fake = createNodeFakeFigma({ viewport: { center: { x: 0, y: 0 }, width: 1440, height: 900 } });
    const board = fake.frame({ name: 'Board', x: -200, y: -150, width: 400, height: 300 });
    await launch(fake);
    await place(null, [png(256, 256)]);
    const [layer] = fake.created();
    const box = layer!.absoluteBoundingBox!;
    const b = board.absoluteBoundingBox!;
    const overlaps = box.x < b.x + b.width && b.x < box.x + box.width && box.y < b.y + b.height && b.y < box.y + box.height;
    expect(overlaps).toBe(false);
    expect(fake.scrolledTo).toEqual([]); // it is on screen: the view stays where it was
    expect(fake.figma.viewport.center).toEqual({ x: 0, y: 0 });
  });

  it('moves the view only when the image would be off screen', async () => {
    fake = createNodeFakeFigma({ viewport: { center: { x: 0, y: 0 }, width: 1440, height: 900, zoom: 4 } });
    await launch(fake);
    await place(null, [png(256, 256)]);
    expect(fake.scrolledTo).toHaveLength(1);
  });
});
