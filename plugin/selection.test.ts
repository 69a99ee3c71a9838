import { describe, expect, it } from 'vitest';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch } from '../test/fake-figma/launch';
import { classify, describeSelection } from './selection';
import type { SceneNode } from './figma-types';

const scene = (...nodes: unknown[]) => nodes as SceneNode[];
let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

describe('selection → targets', () => {
  it('takes frames, components, instances and fill-able shapes as targets', () => {
    fake = createNodeFakeFigma();
    const nodes = [
      fake.frame({ name: 'Hero', width: 393, height: 852 }),
      fake.component({ name: 'Card' }),
      fake.instance({ name: 'Card instance' }),
      fake.rectangle({ name: 'Rect' }),
      fake.ellipse({ name: 'Oval' }),
      fake.shape('POLYGON', { name: 'Tri' }),
      fake.shape('STAR', { name: 'Star' }),
      fake.shape('VECTOR', { name: 'Blob' }),
      fake.booleanOperation({ name: 'Union', children: [fake.rectangle()] }),
    ];
    const selection = describeSelection(scene(...nodes));
    expect(selection.skipped).toEqual([]);
    expect(selection.targets.map((t) => t.type)).toEqual(['FRAME', 'COMPONENT', 'INSTANCE', 'RECTANGLE', 'ELLIPSE', 'POLYGON', 'STAR', 'VECTOR', 'BOOLEAN_OPERATION']);
    expect(selection.targets[0]).toEqual({ id: nodes[0]!.id, name: 'Hero', type: 'FRAME', width: 393, height: 852, empty: true, maskId: null });
  });

  it('skips groups, text, slices, sections, locked and hidden layers with a reason for the user', () => {
    fake = createNodeFakeFigma();
    const reasons = describeSelection(scene(
      fake.group({ name: 'G', children: [fake.rectangle()] }),
      fake.text({ name: 'Title', characters: 'Hi' }),
      fake.slice({ name: 'S' }),
      fake.section({ name: 'Sec' }),
      fake.frame({ name: 'Locked', locked: true }),
      fake.rectangle({ name: 'Hidden', visible: false }),
      fake.componentSet({ name: 'Set' }),
      fake.shape('LINE', { name: 'Rule', height: 0.01 }),
    )).skipped.map((s) => [s.name, s.reason]);
    expect(reasons).toEqual([
      ['G', "Groups can't hold an image fill — select a frame or shape inside it"],
      ['Title', "Text can't hold an image — select a frame or shape"],
      ['S', 'Slices only mark an export area — select a frame or shape'],
      ['Sec', 'Sections organise the canvas — select a frame or shape inside it'],
      ['Locked', 'Locked — unlock it to fill it'],
      ['Hidden', 'Hidden — show it to fill it'],
      ['Set', 'Component sets hold variants — select one variant'],
      ['Rule', 'Lines have no area to fill — select a frame or shape'],
    ]);
  });

  it('skips a shape inside a locked frame, naming the frame to unlock', () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo' });
    fake.frame({ name: 'Card', locked: true, children: [photo] });
    expect(classify(photo as unknown as SceneNode)).toMatchObject({ kind: 'skipped', skipped: { reason: 'Inside the locked layer “Card” — unlock it to fill this' } });
  });

  it('calls a target empty only with no visible children and no image fill', () => {
    fake = createNodeFakeFigma();
    const emptyOf = (node: unknown) => (classify(node as SceneNode) as { target: { empty: boolean } }).target.empty;
    expect(emptyOf(fake.frame())).toBe(true);
    expect(emptyOf(fake.frame({ children: [fake.rectangle({ visible: false })] }))).toBe(true);
    expect(emptyOf(fake.frame({ children: [fake.rectangle({ name: 'Mask' })] }))).toBe(true); // a mask is not content
    expect(emptyOf(fake.frame({ children: [fake.text()] }))).toBe(false);
    expect(emptyOf(fake.frame({ fills: [fake.imagePaint()] }))).toBe(false);
    expect(emptyOf(fake.rectangle({ fills: [fake.imagePaint()] }))).toBe(false);
    expect(emptyOf(fake.rectangle({ fills: [{ ...fake.imagePaint(), visible: false }] }))).toBe(true);
    // a boolean group's children are its shape, not content drawn in it
    expect(emptyOf(fake.booleanOperation({ children: [fake.rectangle(), fake.ellipse()] }))).toBe(true);
  });

  it('finds the mask layer by name (any case, nested) or as a Figma mask', () => {
    fake = createNodeFakeFigma();
    const named = fake.ellipse({ name: ' MASK ' });
    const byName = fake.frame({ children: [fake.text(), fake.group({ children: [named] })] });
    const figmaMask = fake.rectangle({ name: 'Shape', isMask: true });
    const byFlag = fake.frame({ children: [figmaMask, fake.text()] });
    const maskOf = (node: unknown) => (classify(node as SceneNode) as { target: { maskId: string | null } }).target.maskId;
    expect(maskOf(byName)).toBe(named.id);
    expect(maskOf(byFlag)).toBe(figmaMask.id);
    expect(maskOf(fake.frame({ children: [fake.text()] }))).toBeNull();
  });

  it('sends the selection on open and on every selection or page change', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    const title = fake.text({ name: 'Title' });
    fake.select(hero);
    const { init } = await launch(fake);
    expect(init.selection.targets.map((t) => t.name)).toEqual(['Hero']);

    const from = fake.posted.length;
    fake.select(hero, title);
    const next = await fake.waitFor((m) => m.type === 'selection', 2000, from);
    expect(next.selection.targets.map((t: { name: string }) => t.name)).toEqual(['Hero']);
    expect(next.selection.skipped.map((s: { name: string }) => s.name)).toEqual(['Title']);

    const before = fake.posted.length;
    fake.showPage(fake.pages[1]!);
    const onOtherPage = await fake.waitFor((m) => m.type === 'selection', 2000, before);
    expect(onOtherPage.selection).toEqual({ targets: [], skipped: [] });
  });
});
