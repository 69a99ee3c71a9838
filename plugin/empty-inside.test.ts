// A selected mockup's placeholders: the empty frames and shapes a designer means to fill, found
// inside the selection — not its backgrounds, icons, dividers, hidden or locked layers — and
// selected with one message.
import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import type { SceneNode } from './figma-types';
import type { Selection } from './messages';
import { countByKind, emptyLayersInside } from './empty-inside';

let fake: FakeFigma | undefined;
checkOutboundAfterEach(() => fake);

const asScene = (nodes: FakeNode[]) => nodes as unknown as SceneNode[];
const ALL = { visits: 10_000, found: 500 };
/** The placeholders inside these layers, the walk unhurried. */
const inside = (nodes: FakeNode[]) => emptyLayersInside(asScene(nodes), ALL).nodes;
const names = (nodes: readonly SceneNode[]) => nodes.map((node) => node.name);
const white = { type: 'SOLID' as const, color: { r: 1, g: 1, b: 1 } };

/** A landing-page mockup as designers build them: header, hero, a card grid, a team row. */
function landingPage(f: FakeFigma) {
  const card = (title: string, extra: { locked?: boolean } = {}) =>
    f.frame({
      name: `Card / ${title}`,
      width: 320,
      height: 300,
      ...extra,
      children: [
        f.rectangle({ name: 'Background', width: 320, height: 300, fills: [white] }), // the card's panel, under its content
        f.frame({ name: `Photo ${title}`, width: 320, height: 200 }),
        f.text({ characters: title, fontSize: 20 }),
      ],
    });
  const page = f.frame({
    name: 'Landing',
    width: 1440,
    height: 2000,
    children: [
      f.frame({
        name: 'Header',
        width: 1440,
        height: 80,
        layoutMode: 'HORIZONTAL',
        children: [f.rectangle({ name: 'Logo mark', width: 24, height: 24 }), f.text({ characters: 'Framefill' })],
      }),
      f.frame({
        name: 'Hero',
        width: 1440,
        height: 640,
        children: [f.rectangle({ name: 'Hero image', width: 1440, height: 640 }), f.text({ characters: 'Make the mockup real', fontSize: 64 })],
      }),
      f.rectangle({ name: 'Divider', width: 1440, height: 1 }),
      f.frame({ name: 'Grid', width: 1040, height: 300, layoutMode: 'HORIZONTAL', children: [card('Kettle'), card('Towel'), card('Board', { locked: true })] }),
      f.group({
        name: 'Team',
        children: [
          f.group({ name: 'Ada', children: [f.ellipse({ name: 'Avatar Ada', width: 48, height: 48 }), f.text({ characters: 'Ada' })] }),
          f.instance({ name: 'Person / Grace', width: 200, height: 64, children: [f.ellipse({ name: 'Avatar Grace', width: 48, height: 48 }), f.text({ characters: 'Grace' })] }),
          f.ellipse({ name: 'Hidden avatar', width: 48, height: 48, visible: false }),
        ],
      }),
      f.frame({ name: 'Already filled', width: 400, height: 300, fills: [f.imagePaint(64, 64, 7)] }),
      f.frame({ name: 'Footer', width: 1440, height: 200, children: [f.shape('STAR', { name: 'Rating', width: 64, height: 64 }), f.booleanOperation({ name: 'Logo', children: [f.rectangle({ name: 'Bar', width: 80, height: 80 }), f.ellipse({ name: 'Dot', width: 80, height: 80 })] })] }),
      f.frame({ name: 'Clip', width: 300, height: 300, children: [f.rectangle({ name: 'mask', width: 300, height: 300 }), f.frame({ name: 'Masked photo', width: 200, height: 200 })] }),
    ],
  });
  return page;
}

describe('empty layers inside the selection', () => {
  it("finds a mockup's picture spots in document order: photos, the named hero, avatars in groups and instances", () => {
    fake = createNodeFakeFigma();
    const page = landingPage(fake);
    const found = inside([page]);
    expect(names(found)).toEqual(['Hero image', 'Photo Kettle', 'Photo Towel', 'Avatar Ada', 'Avatar Grace', 'Masked photo']);
    // left out: the 24 px logo and the 1 px divider (too small to be a picture), each card's
    // full-size background under its content, the locked card's photo, the hidden avatar, the
    // frame that already shows an image, the mask layer, a star and a logo drawn as a boolean
    // operation (drawings, not picture spots; the logo's shapes are its outline)
    expect(countByKind(found)).toEqual({ frames: 3, shapes: 3 });
  });

  it('never counts a selected layer, nor a layer twice when a card and its grid are both selected', () => {
    fake = createNodeFakeFigma();
    const photo = fake.frame({ name: 'Photo', width: 240, height: 180 });
    const card = fake.frame({ name: 'Card', width: 240, height: 260, children: [photo, fake.text({ characters: 'Title' })] });
    const grid = fake.frame({ name: 'Grid', width: 600, height: 300, children: [card, fake.frame({ name: 'Other photo', width: 240, height: 180 })] });
    expect(names(inside([grid, card]))).toEqual(['Other photo', 'Photo']); // the grid's, then the card's
    expect(inside([photo])).toEqual([]); // an empty frame selected is a target already, with nothing inside
    expect(names(inside([card, photo]))).toEqual([]); // the photo is selected itself
  });

  it('a lone layer spanning its container is a placeholder; with content above it, only a picture name makes it one', () => {
    fake = createNodeFakeFigma();
    const alone = fake.frame({ name: 'Slot', width: 300, height: 200, children: [fake.rectangle({ name: 'Rectangle 12', width: 300, height: 200 })] });
    const under = fake.frame({ name: 'Tile', width: 300, height: 200, children: [fake.rectangle({ name: 'Rectangle 13', width: 300, height: 200 }), fake.text({ characters: 'Label' })] });
    const cover = fake.frame({ name: 'Post', width: 300, height: 200, children: [fake.rectangle({ name: 'Cover photo', width: 300, height: 200 }), fake.text({ characters: 'Title' })] });
    expect(names(inside([alone, under, cover]))).toEqual(['Rectangle 12', 'Cover photo']);
  });

  it('stops after its visit and result limits on a huge page', () => {
    fake = createNodeFakeFigma();
    const photos = Array.from({ length: 30 }, (_, i) => fake!.frame({ name: `Photo ${i + 1}`, width: 100, height: 100 }));
    const board = fake.frame({ name: 'Board', width: 4000, height: 4000, children: photos });
    expect(emptyLayersInside(asScene([board]), { visits: 10_000, found: 12 })).toMatchObject({ nodes: { length: 12 }, complete: false });
    expect(emptyLayersInside(asScene([board]), { visits: 5, found: 500 })).toMatchObject({ nodes: { length: 5 }, complete: false });
    expect(emptyLayersInside(asScene([board]), { visits: 30, found: 500 })).toMatchObject({ nodes: { length: 30 }, complete: true });
  });

  it('the selection message counts them and "select-empty-inside" selects them, so the panel plans to fill them', async () => {
    fake = createNodeFakeFigma();
    const photos = ['Kettle', 'Towel'].map((title) => fake!.frame({ name: `Photo ${title}`, width: 320, height: 200 }));
    const cards = photos.map((photo, i) => fake!.frame({ name: `Card ${i + 1}`, width: 320, height: 280, layoutMode: 'VERTICAL', children: [photo, fake!.text({ characters: `Title ${i + 1}` })] }));
    fake.select(...cards);
    await launch(fake);
    const offered = fake.posted.filter((m) => (m as { type: string }).type === 'selection').at(-1) as { selection: Selection };
    expect(offered.selection.targets.map((t) => t.empty)).toEqual([false, false]); // the cards alone would be restyled
    expect(offered.selection.emptyInside).toEqual({ frames: 2, shapes: 0 });

    const selected = await fake.request({ type: 'select-empty-inside', max: 50 }, 'selection');
    expect(fake.currentPage.selection.map((node) => node.id)).toEqual(photos.map((photo) => photo.id));
    expect(selected.selection.targets.map((t: { name: string; empty: boolean }) => [t.name, t.empty])).toEqual([
      ['Photo Kettle', true],
      ['Photo Towel', true],
    ]);
    expect(selected.selection.emptyInside).toBeUndefined();
    expect(fake.undoSteps).toBe(0); // selecting is not an edit
  });

  it('counts a huge page only so far on each selection change, says so, and still selects a run of them', async () => {
    fake = createNodeFakeFigma();
    const rows = Array.from({ length: 30 }, (_, r) =>
      fake!.frame({ name: `Row ${r + 1}`, width: 2000, height: 120, children: Array.from({ length: 80 }, (_, i) => fake!.frame({ name: `Tile ${r + 1}.${i + 1}`, width: 100, height: 100 })) }),
    );
    const page = fake.frame({ name: 'Page', width: 2000, height: 4000, children: rows });
    fake.select(page);
    await launch(fake);
    const counted = fake.posted.filter((m) => (m as { type: string }).type === 'selection').at(-1) as { selection: Selection };
    expect(counted.selection.emptyInside).toEqual({ frames: 500, shapes: 0, more: true }); // 2,400 tiles: counting stopped early
    await fake.request({ type: 'select-empty-inside', max: 50 }, 'selection');
    expect(fake.currentPage.selection.map((node) => node.name).slice(0, 2)).toEqual(['Tile 1.1', 'Tile 1.2']);
    expect(fake.currentPage.selection).toHaveLength(50);
  });

  it('selects as many as one run takes, in document order; once those are filled, the next click selects the rest', async () => {
    fake = createNodeFakeFigma();
    const photos = Array.from({ length: 5 }, (_, i) => fake!.frame({ name: `Photo ${i + 1}`, width: 100, height: 100 }));
    const board = fake.frame({ name: 'Board', width: 1000, height: 200, children: photos });
    fake.select(board);
    await launch(fake);
    await fake.request({ type: 'select-empty-inside', max: 3 }, 'selection');
    expect(fake.currentPage.selection.map((node) => node.name)).toEqual(['Photo 1', 'Photo 2', 'Photo 3']);
    for (const photo of photos.slice(0, 3)) photo.fills = [fake.imagePaint(64, 64, 1)]; // the run filled them
    fake.select(board);
    await fake.settle();
    await fake.request({ type: 'select-empty-inside', max: 3 }, 'selection');
    await fake.settle();
    expect(fake.currentPage.selection.map((node) => node.name)).toEqual(['Photo 4', 'Photo 5']);
    const last = fake.posted.filter((m) => (m as { type: string }).type === 'selection').at(-1) as { selection: Selection };
    expect(last.selection.targets.map((t) => t.name)).toEqual(['Photo 4', 'Photo 5']);
  });
});
