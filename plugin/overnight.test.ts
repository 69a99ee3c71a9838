import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';
import type { ScheduledBatch } from './messages';
import { FILE_ID_KEY, MIRROR_KEY, PLACED_KEY, SCHEDULED_KEY, UNDO_REFUSED } from './overnight';
import { readPluginData } from './plugin-data';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake);

const png = (w: number, h: number) => ({ bytes: new Uint8Array(pngOf(w, h, 3)), width: w, height: h });
const item = (id: string, targetId: string | null, targetName = 'Hero') => ({
  id,
  kind: 'generate' as const,
  targetId,
  targetName,
  place: null,
  prompt: 'A copper kettle on linen',
  model: 'gpt-image-2',
  tier: 'low' as const,
  size: '1024x1024',
  variations: 1,
  referenceIds: [],
});
const batchOf = (items: ReturnType<typeof item>[]): ScheduledBatch => ({ id: 'batch_1', createdAt: 1_700_000_000, discount: 0.5, reservedUsd: 0.02, nowUsd: 0.04, items });
let rid = 0;
const placeItem = (itemId: string) => fake.request({ type: 'place-scheduled', rid: `o${++rid}`, batchId: 'batch_1', itemId, image: png(64, 64), name: 'A copper kettle', provenance: sampleProvenance({ requestId: itemId }) });
const stored = () => JSON.parse(readPluginData(fake.figma.root, SCHEDULED_KEY) || '[]') as ScheduledBatch[];
const schedule = (batch: ScheduledBatch) => fake.request({ type: 'schedule-batch', batch }, 'scheduled');

/** The user closes Framefill and runs it again on the same file. */
async function reopen() {
  fake.close();
  fake.reopen();
  return (await launch(fake)).init;
}

describe('overnight batches in the file', () => {
  it('are kept in the document with each target\'s place, and handed to the next panel', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 40, y: 60, width: 300, height: 200 });
    await launch(fake);
    const reply = await schedule(batchOf([item('it-1', hero.id)]));
    expect(reply).toMatchObject({ type: 'scheduled', placed: [] });
    expect(stored()[0]!.items[0]!.place).toMatchObject({ x: 40, y: 60, width: 300, height: 200, box: { x: 40, y: 60 } });
    // its own step, not riding on the user's next change — after the file's anchor, written once in a step before it
    expect(fake.undoSteps).toBe(2);
    await schedule({ ...batchOf([item('it-2', hero.id)]), id: 'batch_2' });
    expect(fake.undoSteps).toBe(3);

    const init = await reopen();
    expect(init.scheduled?.map((b) => b.id)).toEqual(['batch_1', 'batch_2']);
    expect(init.scheduledPlaced).toEqual([]);
  });

  it('places an item once, in one undo step that also drops it from the file; an Undo never makes it placeable again', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 300, height: 200 });
    const card = fake.frame({ name: 'Card', width: 100, height: 100 });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id), item('it-2', card.id, 'Card')]));
    const steps = fake.undoSteps;
    const images = () => (hero.fills as unknown as { type: string }[]).filter((p) => p.type === 'IMAGE').length;

    const first = await placeItem('it-1');
    expect(first).toMatchObject({ type: 'placed', nodeIds: [hero.id] });
    expect(fake.undoSteps).toBe(steps + 1);
    expect(stored()[0]!.items.map((i) => i.id)).toEqual(['it-2']);
    expect(await fake.figma.clientStorage.getAsync(PLACED_KEY)).toEqual(['it-1']);

    // Undo takes the image away and puts the item back in the file's list…
    expect(images()).toBe(1);
    fake.undo();
    expect(images()).toBe(0);
    expect(stored()[0]!.items.map((i) => i.id)).toEqual(['it-1', 'it-2']);
    // …but the next open knows it was placed, and a second placing does nothing.
    const init = await reopen();
    expect(init.scheduledPlaced).toEqual(['it-1']);
    const again = await placeItem('it-1');
    expect(again).toMatchObject({ type: 'placed', nodeIds: [] });
    expect(images()).toBe(0);
  });

  it('puts the result of a target deleted meanwhile on a new layer where the target was', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', x: 500, y: 80, width: 300, height: 200 });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id)]));
    hero.remove();
    fake.figma.commitUndo();
    await reopen();
    const reply = await placeItem('it-1');
    expect(reply).toMatchObject({ type: 'placed', notices: [expect.stringMatching(/“Hero” was deleted.*where it was/)] });
    const placed = fake.node((reply as { nodeIds: string[] }).nodeIds[0]!)!;
    expect(placed.absoluteBoundingBox).toMatchObject({ x: 500, y: 80, width: 300, height: 200 });
  });

  it('forgets failed items, and the batch with its last one', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id), item('it-2', null, 'New image')]));
    const dropped = await fake.request({ type: 'drop-scheduled', batchId: 'batch_1', itemIds: ['it-2'] }, 'scheduled');
    expect(dropped).toMatchObject({ batches: [{ items: [{ id: 'it-1' }] }] });
    await fake.request({ type: 'drop-scheduled', batchId: 'batch_1', itemIds: null }, 'scheduled');
    expect(fake.figma.root.getPluginData(SCHEDULED_KEY)).toBe('');
  });

  it("keeps a 200-frame fill (four 50-frame runs) — past Figma's 100 kB per pluginData entry — across a reopen, and clears it", async () => {
    fake = createNodeFakeFigma();
    const frames = Array.from({ length: 50 }, (_, i) => fake.frame({ name: `Photo ${i + 1}`, x: i * 120, width: 100, height: 100 }));
    await launch(fake);
    // A kit's style suffix makes every resolved prompt a few hundred characters; accents and a
    // CJK title make some characters 2 and 3 bytes of UTF-8.
    const prompt = (i: number) => `Café table ${i} — 木のテーブル, studio product photo, 50mm, softbox, warm rim light, shallow depth of field, editorial photography, muted earth palette, matte paper texture, soft shadow under the subject, clean seamless backdrop`;
    const run = (n: number): ScheduledBatch => ({
      ...batchOf(frames.map((frame, i) => ({ ...item(`b${n}-it-${i}`, frame.id, frame.name), prompt: prompt(i) }))),
      id: `batch_${n}`,
    });
    for (const n of [1, 2, 3, 4]) {
      const reply = await schedule(run(n));
      expect(reply.problem).toBeUndefined();
    }
    expect(stored().map((b) => b.items.length)).toEqual([50, 50, 50, 50]);
    expect(new TextEncoder().encode(JSON.stringify(stored())).byteLength).toBeGreaterThan(100_000);

    const init = await reopen();
    expect(init.scheduled?.map((b) => b.id)).toEqual(['batch_1', 'batch_2', 'batch_3', 'batch_4']);
    for (const id of ['batch_1', 'batch_2', 'batch_3']) await fake.request({ type: 'drop-scheduled', batchId: id, itemIds: null }, 'scheduled');
    expect(stored().map((b) => b.id)).toEqual(['batch_4']); // the pieces the longer list used are gone
    await fake.request({ type: 'drop-scheduled', batchId: 'batch_4', itemIds: null }, 'scheduled');
    expect(fake.figma.root.getPluginDataKeys().filter((key) => key === SCHEDULED_KEY || key.startsWith(`${SCHEDULED_KEY}#`))).toEqual([]);
  });
});

describe('an Undo right after scheduling (the batch runs and is paid for upstream)', () => {
  const told = () => fake.notifications.filter((n) => n.message === UNDO_REFUSED).length;

  it('takes the record out of the file, but the next open puts it back, says why, and places its results', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero', width: 300, height: 200 });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id)]));
    const anchor = fake.figma.root.getPluginData(FILE_ID_KEY);
    expect(anchor).not.toBe('');

    fake.undo(); // ⌘Z: the record's own step
    expect(stored()).toEqual([]);
    expect(fake.figma.root.getPluginData(FILE_ID_KEY)).toBe(anchor); // an earlier step

    const init = await reopen();
    expect(init.scheduled?.map((b) => b.id)).toEqual(['batch_1']);
    expect(stored().map((b) => b.id)).toEqual(['batch_1']);
    expect(told()).toBe(1);
    expect(await placeItem('it-1')).toMatchObject({ type: 'placed', nodeIds: [hero.id] });
  });

  it('is repaired while the panel stays open, and the user is told once', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id)]));
    fake.undo();
    const reply = await fake.request({ type: 'reconcile-scheduled' }, 'scheduled');
    expect(reply).toMatchObject({ batches: [{ id: 'batch_1', items: [{ id: 'it-1' }] }] });
    expect(stored().map((b) => b.id)).toEqual(['batch_1']);
    fake.figma.commitUndo();
    fake.undo();
    await fake.request({ type: 'reconcile-scheduled' }, 'scheduled');
    expect(told()).toBe(1);
    // Placing finds it even before the next look.
    fake.undo();
    expect(await placeItem('it-1')).toMatchObject({ type: 'placed', nodeIds: [hero.id] });
  });

  it('survives a second Undo that takes the file\'s anchor too, while the panel is open: record and anchor come back', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id)]));
    const anchor = fake.figma.root.getPluginData(FILE_ID_KEY);
    fake.undo(); // the record
    fake.undo(); // the anchor
    expect(fake.figma.root.getPluginData(FILE_ID_KEY)).toBe('');
    const reply = await fake.request({ type: 'reconcile-scheduled' }, 'scheduled');
    expect(reply).toMatchObject({ batches: [{ id: 'batch_1', items: [{ id: 'it-1' }] }] });
    expect(fake.figma.root.getPluginData(FILE_ID_KEY)).toBe(anchor);
    expect(told()).toBe(1);
    // The next batch keeps the same anchor: one mirror for the file, and the next open finds both.
    await schedule({ ...batchOf([item('it-2', hero.id)]), id: 'batch_2' });
    expect(fake.figma.root.getPluginData(FILE_ID_KEY)).toBe(anchor);
    const init = await reopen();
    expect(init.scheduled?.map((b) => b.id)).toEqual(['batch_1', 'batch_2']);
    expect(await placeItem('it-1')).toMatchObject({ type: 'placed', nodeIds: [hero.id] });
  });

  it('never brings back a batch the file let go of, also not from a teammate\'s mirror', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    await schedule(batchOf([item('it-1', hero.id)]));
    const mirror = await fake.figma.clientStorage.getAsync(MIRROR_KEY);
    await fake.request({ type: 'drop-scheduled', batchId: 'batch_1', itemIds: null }, 'scheduled');
    // A teammate's machine still mirrors it (they scheduled it; someone else's panel placed and dropped it).
    await fake.figma.clientStorage.setAsync(MIRROR_KEY, mirror);
    const init = await reopen();
    expect(init.scheduled).toEqual([]);
    expect(stored()).toEqual([]);
    expect(told()).toBe(0);
    expect(await fake.figma.clientStorage.getAsync(MIRROR_KEY)).toEqual([]);
  });
});
