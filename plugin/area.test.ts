import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

async function selectArea(target: FakeNode) {
  const from = fake.posted.length;
  await fake.deliver({ type: 'create-area', targetId: target.id });
  return fake.waitFor((m) => m.type === 'selection', 2000, from);
}
const areasIn = (parent: FakeNode) => parent.children.filter((n) => n.getPluginData('framefill-area'));

describe('Select area (create-area)', () => {
  it('puts a "Framefill area" right above the target with its geometry, an ellipse over the middle half selected, as one undo step', async () => {
    fake = createNodeFakeFigma();
    const below = fake.rectangle({ name: 'Below' });
    const photo = fake.rectangle({ name: 'Photo', x: 40, y: 30, width: 400, height: 200, rotation: 30, fills: [fake.imagePaint()] });
    const above = fake.text({ name: 'Caption' });
    const card = fake.frame({ name: 'Card', width: 600, height: 400, children: [below, photo, above] });
    fake.select(photo);
    await launch(fake);
    const selection = await selectArea(photo);

    const [area] = areasIn(card);
    expect(card.children.map((n) => n.name)).toEqual(['Below', 'Photo', 'Framefill area', 'Caption']);
    expect(area).toMatchObject({ type: 'FRAME', x: 40, y: 30, width: 400, height: 200, rotation: 30, clipsContent: true });
    expect(area!.absoluteTransform).toEqual(photo.absoluteTransform);
    expect(area!.fills).toEqual([]);
    expect(area!.getPluginData('framefill-area')).toBe(photo.id);
    const [shape] = area!.children;
    expect(shape).toMatchObject({ type: 'ELLIPSE', name: 'Area', x: 100, y: 50, width: 200, height: 100 });
    expect(shape!.fills).toEqual([{ type: 'SOLID', color: expect.any(Object), opacity: 0.4 }]);
    expect(fake.currentPage.selection).toEqual([shape]);
    expect(fake.undoSteps).toBe(1);
    expect(selection.selection.targets.map((t: { id: string; areaId?: string }) => [t.id, t.areaId])).toEqual([[photo.id, area!.id]]);

    fake.undo();
    expect(area!.removed).toBe(true);
    expect(card.children.map((n) => n.name)).toEqual(['Below', 'Photo', 'Caption']);
  });

  it('selects the area the target already has instead of making a second', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', fills: [fake.imagePaint()] });
    await launch(fake);
    await selectArea(photo);
    await selectArea(photo);
    const areas = areasIn(fake.currentPage);
    expect(areas).toHaveLength(1);
    expect(fake.currentPage.selection).toEqual(areas);
    expect(fake.undoSteps).toBe(1);
  });

  it('floats in auto layout, and goes on the page over a target inside an instance', async () => {
    fake = createNodeFakeFigma();
    const first = fake.frame({ name: 'First', width: 50, height: 50 });
    const photo = fake.rectangle({ name: 'Photo', width: 120, height: 80, fills: [fake.imagePaint()] });
    const row = fake.frame({ name: 'Row', layoutMode: 'HORIZONTAL', itemSpacing: 10, children: [first, photo] });
    const inner = fake.rectangle({ name: 'Inner', x: 10, y: 20, width: 60, height: 40, fills: [fake.imagePaint()] });
    fake.instance({ name: 'Button', x: 500, y: 300, children: [inner] });
    await launch(fake);

    await selectArea(photo);
    const [floating] = areasIn(row);
    expect(floating!.layoutPositioning).toBe('ABSOLUTE');
    expect(floating!.absoluteBoundingBox).toEqual(photo.absoluteBoundingBox);
    expect(photo.x).toBe(60); // the flow did not move

    await selectArea(inner);
    const [onPage] = areasIn(fake.currentPage);
    expect(onPage!.getPluginData('framefill-area')).toBe(inner.id);
    expect(onPage!.absoluteBoundingBox).toEqual({ x: 510, y: 320, width: 60, height: 40 });
  });

  it('leaves a locked target alone, with a notice', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', locked: true, fills: [fake.imagePaint()] });
    await launch(fake);
    await selectArea(photo);
    expect(areasIn(fake.currentPage)).toEqual([]);
    expect(fake.notifications).toEqual([{ message: '“Photo” is locked — unlock it first', options: { error: true } }]);
  });
});
