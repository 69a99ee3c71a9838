// Finding Framefill's own images (issue 14, Draft → Finalize and bulk re-run): by provenance, only
// while Framefill's image is all the layer shows, anywhere on the page; and selecting them all.
import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma, type FakeNode } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';
import type { SceneNode } from './figma-types';
import { framefillImagesIn, framefillImagesUnder } from './framefill-images';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake);

const png = (seed: number) => ({ bytes: new Uint8Array(pngOf(48, 32, seed)), width: 48, height: 32 });
let n = 0;
/** places an image the way a run does: provenance on the layer, Framefill's fill marked */
const fill = (node: FakeNode, prompt: string, tier: 'low' | 'high' = 'low') =>
  fake.request({ type: 'place', rid: `r${++n}`, targetId: node.id, images: [png(n)], mode: 'one', name: prompt, provenance: sampleProvenance({ prompt, tier, size: '1536x1024' }) });
const asScene = (nodes: FakeNode[]) => nodes as unknown as SceneNode[];
const ids = (images: { id: string }[]) => images.map((i) => i.id);

describe('Framefill images from provenance', () => {
  it('finds every layer showing a Framefill image on the page, nested in cards and groups, with its recorded prompt', async () => {
    fake = createNodeFakeFigma();
    const a = fake.frame({ name: 'Photo A' });
    const b = fake.frame({ name: 'Photo B' });
    const c = fake.rectangle({ name: 'Photo C' });
    const plain = fake.frame({ name: 'Empty photo' });
    fake.frame({ name: 'Card 1', children: [a, fake.text({ name: 'Title', characters: 'Copper kettle' })] });
    fake.group({ name: 'Grid', children: [fake.frame({ name: 'Card 2', children: [b] }), c] });
    fake.frame({ name: 'Card 3', children: [plain] });
    fake.select(a);
    await launch(fake);
    await fill(a, 'Copper kettle, studio photo');
    await fill(b, 'Linen bath towel, studio photo');
    await fill(c, 'Oak cutting board, studio photo', 'high');

    const { images, nodes } = framefillImagesUnder(fake.currentPage as never);
    expect(ids(images)).toEqual([a.id, b.id, c.id]); // document order, the empty frame left out
    expect(nodes.map((node) => node.id)).toEqual(ids(images));
    expect(images.map((i) => [i.name, i.provenance.prompt, i.provenance.tier, i.provenance.size])).toEqual([
      ['Photo A', 'Copper kettle, studio photo', 'low', '1536x1024'],
      ['Photo B', 'Linen bath towel, studio photo', 'low', '1536x1024'],
      ['Photo C', 'Oak cutting board, studio photo', 'high', '1536x1024'],
    ]);
    // the container each sits in (a card, a group; never the page): Finalize's result cards tell them apart
    expect(images.map((i) => i.parentName ?? null)).toEqual(['Card 1', 'Card 2', 'Grid']);
    expect(ids(framefillImagesIn(asScene([plain, b])))).toEqual([b.id]);
    expect(ids(framefillImagesUnder(fake.currentPage as never, 2).images)).toEqual([a.id, b.id]); // bounded
  });

  it('leaves out a layer once the user swaps the image, adds content over it, or hides it', async () => {
    fake = createNodeFakeFigma();
    const swapped = fake.frame({ name: 'Swapped' });
    const covered = fake.frame({ name: 'Covered' });
    const hidden = fake.frame({ name: 'Hidden' });
    const kept = fake.frame({ name: 'Kept' });
    fake.select(kept);
    await launch(fake);
    for (const node of [swapped, covered, hidden, kept]) await fill(node, `${node.name} prompt`);
    swapped.fills = [fake.imagePaint(32, 32, 99)]; // the user's own picture
    fake.text({ name: 'Badge' }).attach(covered);
    hidden.visible = false;
    expect(ids(framefillImagesUnder(fake.currentPage as never).images)).toEqual([kept.id]);
  });

  it('"Select Framefill images on this page" selects them all and reports them as selected', async () => {
    fake = createNodeFakeFigma();
    const a = fake.frame({ name: 'A' });
    const b = fake.frame({ name: 'B' });
    const other = fake.frame({ name: 'Not Framefill' });
    fake.select(a);
    await launch(fake);
    await fill(a, 'first');
    await fill(b, 'second');
    fake.select(other);

    const listed = await fake.request({ type: 'framefill-images', selectAll: false }, 'framefill-images');
    expect(listed.selected).toEqual([]);
    expect(ids(listed.onPage)).toEqual([a.id, b.id]);

    const changes = fake.selectionChanges;
    const all = await fake.request({ type: 'framefill-images', selectAll: true }, 'framefill-images');
    expect(fake.currentPage.selection.map((node) => node.id)).toEqual([a.id, b.id]);
    expect(fake.selectionChanges).toBeGreaterThan(changes);
    expect(all.selected.map((i: { provenance: { prompt: string } }) => i.provenance.prompt)).toEqual(['first', 'second']);
  });
});
