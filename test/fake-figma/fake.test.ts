// The fake must behave like Figma where Framefill depends on it, or the plugin tests prove nothing.
import { describe, expect, it } from 'vitest';
import type { Transform } from '../../plugin/figma-types';
import { createNodeFakeFigma } from './node';
import { imageSize, jpegOf, pngOf } from '../support/images';
import type { FakeNode } from './nodes';

const webp = () => new Uint8Array([...Buffer.from('RIFF'), 30, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('fake figma: nodes', () => {
  it('keeps fills immutable: mutating the array throws, reassigning works and is undoable', () => {
    const fake = createNodeFakeFigma();
    const frame = fake.frame({ name: 'Card' });
    const fills = frame.fills as readonly unknown[];
    expect(() => (fills as unknown[]).push({ type: 'SOLID', color: { r: 0, g: 0, b: 0 } })).toThrow();
    frame.fills = [...(frame.fills as []), { type: 'SOLID', color: { r: 1, g: 0, b: 0 } }];
    expect((frame.fills as unknown[]).length).toBe(2);
    fake.figma.commitUndo();
    fake.undo();
    expect((frame.fills as unknown[]).length).toBe(1);
  });

  it('rejects an IMAGE paint whose hash was never created', () => {
    const fake = createNodeFakeFigma();
    const rect = fake.rectangle();
    expect(() => (rect.fills = [{ type: 'IMAGE', imageHash: 'nope', scaleMode: 'FILL' }])).toThrow(/image hash/i);
  });

  it('answers `in` checks per type like Figma (groups and slices have no fills)', () => {
    const fake = createNodeFakeFigma();
    const r = fake.rectangle();
    expect('fills' in fake.group({ children: [r] })).toBe(false);
    expect('fills' in fake.slice()).toBe(false);
    expect('fills' in fake.section()).toBe(true);
    expect('children' in fake.rectangle()).toBe(false);
    expect('isMask' in fake.ellipse()).toBe(true);
  });

  it('computes absolute transforms through frames but not groups, with rotation', () => {
    const fake = createNodeFakeFigma();
    const inner = fake.rectangle({ x: 10, y: 20, width: 50, height: 30 });
    const group = fake.group({ children: [inner] });
    const outer = fake.frame({ x: 100, y: 200, width: 400, height: 400, children: [group] });
    expect(outer.children[0]).toBe(group);
    expect(inner.absoluteTransform).toEqual([[1, 0, 110], [0, 1, 220]]);
    expect(group.absoluteBoundingBox).toEqual({ x: 110, y: 220, width: 50, height: 30 });
    const turned = fake.rectangle({ width: 100, height: 50, rotation: 90 });
    // 90° counter-clockwise: the box now spans up from the origin.
    expect(turned.absoluteBoundingBox).toEqual({ x: 0, y: -100, width: 50, height: 100 });
  });

  it('forbids adding children inside an instance, with Figma’s message', () => {
    const fake = createNodeFakeFigma();
    const inst = fake.instance({ children: [fake.rectangle()] });
    expect(() => inst.appendChild(fake.figma.createRectangle() as unknown as FakeNode)).toThrow(/instance/);
  });

  it('lays out auto-layout children and lets absolute ones float', () => {
    const fake = createNodeFakeFigma();
    const a = fake.rectangle({ width: 100 });
    const b = fake.rectangle({ width: 50 });
    const row = fake.frame({ layoutMode: 'HORIZONTAL', itemSpacing: 10, children: [a, b] });
    expect([a.x, b.x]).toEqual([0, 110]);
    const c = fake.figma.createRectangle() as unknown as FakeNode;
    row.insertChild(1, c);
    expect(b.x).toBe(220); // pushed along by the new flowing child
    c.layoutPositioning = 'ABSOLUTE';
    expect(b.x).toBe(110);
    expect(() => (fake.rectangle().layoutPositioning = 'ABSOLUTE')).toThrow(/layoutMode/);
  });
});

describe('fake figma: images', () => {
  it('exports real bytes at the constrained size', async () => {
    const fake = createNodeFakeFigma();
    const frame = fake.frame({ width: 3000, height: 1000 });
    const png = await frame.exportAsync({ format: 'PNG', constraint: { type: 'WIDTH', value: 2048 } });
    expect(imageSize(png)).toEqual({ format: 'png', width: 2048, height: 683 });
    const jpg = await frame.exportAsync({ format: 'JPG', constraint: { type: 'HEIGHT', value: 100 } });
    expect(imageSize(jpg)).toEqual({ format: 'jpeg', width: 300, height: 100 });
    expect(imageSize(await frame.exportAsync({ format: 'PNG', constraint: { type: 'SCALE', value: 0.1 } }))).toMatchObject({ width: 300, height: 100 });
  });

  it('keeps an image paint’s crop transform, and paints a layer only where a fill or stroke is visible', async () => {
    const fake = createNodeFakeFigma();
    const crop = { ...fake.imagePaint(), scaleMode: 'CROP' as const, imageTransform: [[0.5, 0, 0.25], [0, 0.5, 0]] as Transform };
    const hiddenOnly = fake.rectangle({ name: 'Hidden original', width: 50, height: 50, fills: [{ ...crop, visible: false }] });
    const shown = fake.rectangle({ name: 'Shown', x: 50, width: 50, height: 50, fills: [{ ...crop, visible: false }, crop] });
    const frame = fake.frame({ width: 100, height: 50, fills: [], children: [hiddenOnly, shown] });
    expect(shown.fills).toEqual([{ ...crop, visible: false }, crop]);
    await frame.exportAsync({ format: 'PNG' });
    expect(fake.exports.at(-1)!.paintedIds).toEqual([shown.id]);
  });

  it('grows exports by a drop shadow unless absolute bounds are asked for', async () => {
    const fake = createNodeFakeFigma();
    const shadow = { type: 'DROP_SHADOW', color: { r: 0, g: 0, b: 0, a: 0.5 }, offset: { x: 0, y: 4 }, radius: 10, spread: 0, visible: true, blendMode: 'NORMAL' } as const;
    const frame = fake.frame({ width: 200, height: 100, effects: [shadow] });
    expect(imageSize(await frame.exportAsync({ format: 'PNG' }))).toMatchObject({ width: 220, height: 120 });
    expect(imageSize(await frame.exportAsync({ format: 'PNG', useAbsoluteBounds: true }))).toMatchObject({ width: 200, height: 100 });
  });

  it('createImage takes PNG, JPEG and GIF and refuses others or over 4096 px with Figma’s errors', async () => {
    const fake = createNodeFakeFigma();
    const image = fake.figma.createImage(new Uint8Array(pngOf(40, 30)));
    expect(await image.getSizeAsync()).toEqual({ width: 40, height: 30 });
    expect(fake.figma.getImageByHash(image.hash)?.hash).toBe(image.hash);
    expect(imageSize(await image.getBytesAsync())).toMatchObject({ width: 40 });
    expect(fake.figma.createImage(new Uint8Array(jpegOf(10, 10))).hash).toMatch(/^[0-9a-f]{40}$/);
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 5, 0, 6, 0, 0, 0, 0]);
    expect(fake.figma.createImage(gif).hash).toBeTruthy();
    expect(() => fake.figma.createImage(webp())).toThrow('Image type is unsupported');
    expect(() => fake.figma.createImage(new Uint8Array(pngOf(5000, 2)))).toThrow('Image is too large');
    expect(fake.figma.getImageByHash('missing')).toBeNull();
  });

  it('hashes by content: the same bytes anywhere in memory share a hash, any changed byte or length does not', () => {
    const fake = createNodeFakeFigma();
    const png = new Uint8Array(pngOf(64, 48, 3));
    const hash = fake.figma.createImage(png).hash;
    // The same bytes at an unaligned offset inside a bigger buffer.
    for (const offset of [1, 2, 3, 5]) {
      const host = new Uint8Array(png.length + 8);
      host.set(png, offset);
      expect(fake.figma.createImage(host.subarray(offset, offset + png.length)).hash).toBe(hash);
    }
    const seen = new Set([hash]);
    const variants: Uint8Array[] = [];
    // One byte changed (start, every word lane, the tail), a tag appended after IEND, one byte dropped.
    for (const at of [40, 41, 42, 43, 100, png.length - 1]) {
      const v = png.slice();
      v[at] = v[at]! ^ 0x01;
      variants.push(v);
    }
    for (let tag = 0; tag < 64; tag++) variants.push(new Uint8Array([...png, 0, 0, tag >> 8, tag & 0xff]));
    variants.push(png.slice(0, -1));
    for (const v of variants) seen.add(fake.figma.createImage(v).hash);
    expect(seen.size).toBe(variants.length + 1);
  });
});

describe('fake figma: host', () => {
  it('fires selectionchange after the selection changes, and drops removed nodes', async () => {
    const fake = createNodeFakeFigma();
    let fired = 0;
    fake.figma.on('selectionchange', () => fired++);
    const a = fake.frame();
    fake.select(a);
    expect(fired).toBe(0); // asynchronous, like Figma
    await fake.settle();
    expect(fired).toBe(1);
    a.remove();
    await fake.settle();
    expect(fake.figma.currentPage.selection).toEqual([]);
    expect(fired).toBe(2);
    expect(await fake.figma.getNodeByIdAsync(a.id)).toBeNull();
    expect(() => fake.figma.getNodeById(a.id)).toThrow(/dynamic-page/);
  });

  it('stores structured clones in clientStorage within a 5 MB quota', async () => {
    const fake = createNodeFakeFigma();
    const storage = fake.figma.clientStorage;
    const value = { bytes: new Uint8Array([1, 2, 3]) };
    await storage.setAsync('k', value);
    value.bytes[0] = 9;
    const read = await storage.getAsync('k');
    expect(read.bytes).toBeInstanceOf(Uint8Array);
    expect([...read.bytes]).toEqual([1, 2, 3]);
    await expect(storage.setAsync('big', new Uint8Array(5 * 1024 * 1024))).rejects.toThrow(/quota/);
    expect(await storage.keysAsync()).toEqual(['k']);
    await storage.deleteAsync('k');
    expect(await storage.getAsync('k')).toBeUndefined();
  });

  it('structured-clones UI messages both ways and needs showUI first', async () => {
    const fake = createNodeFakeFigma();
    expect(() => fake.figma.ui.postMessage({ type: 'x' })).toThrow(/showUI/);
    fake.figma.showUI('<p>', { width: 1 });
    const bytes = new Uint8Array([7]);
    fake.figma.ui.postMessage({ bytes });
    bytes[0] = 0;
    expect((fake.posted[0] as { bytes: Uint8Array }).bytes).toEqual(new Uint8Array([7]));
    const got: unknown[] = [];
    fake.figma.ui.on('message', (m) => got.push(m));
    await fake.deliver({ hello: new Uint8Array([1]) });
    expect((got[0] as { hello: Uint8Array }).hello).toBeInstanceOf(Uint8Array);
  });

  it('tells a UI host (the playground) when the panel opens, gets messages, resizes and closes', () => {
    const events: unknown[] = [];
    const fake = createNodeFakeFigma({
      uiHost: {
        show: (html, options) => events.push(['show', html, options]),
        post: (message) => events.push(['post', message]),
        resize: (w, h) => events.push(['resize', w, h]),
        close: () => events.push(['close']),
      },
    });
    fake.figma.showUI('<p>panel</p>', { width: 300, height: 400 });
    fake.figma.ui.postMessage({ type: 'init' });
    fake.figma.ui.resize(320, 480);
    fake.close();
    expect(events).toEqual([['show', '<p>panel</p>', { width: 300, height: 400 }], ['post', { type: 'init' }], ['resize', 320, 480], ['close']]);
  });

  it('closing ends the plugin (its handlers go), reopening starts a new session on the same document and storage', async () => {
    const fake = createNodeFakeFigma();
    const heard: string[] = [];
    fake.figma.on('selectionchange', () => heard.push('selection'));
    fake.figma.on('close', () => heard.push('close'));
    fake.figma.showUI('<p>panel</p>');
    fake.figma.ui.on('message', (m) => heard.push(`message ${String((m as { type: string }).type)}`));
    const frame = fake.frame({ name: 'Hero' });
    await fake.figma.clientStorage.setAsync('kept', { runs: 1 });
    expect(() => fake.reopen()).toThrow(/still open/);

    fake.figma.closePlugin();
    expect(fake.open).toBe(false);
    expect(fake.shown).toBeNull();
    fake.select(frame);
    await fake.deliver({ type: 'ready' });
    await fake.settle();
    expect(heard).toEqual(['close']);

    fake.reopen();
    expect(fake.open).toBe(true);
    fake.figma.on('run', () => heard.push('run'));
    fake.run();
    fake.select(frame);
    await fake.settle();
    expect(heard).toEqual(['close', 'run']); // the first session's selection handler is gone
    expect(await fake.figma.getNodeByIdAsync(frame.id)).toBe(frame);
    expect(await fake.figma.clientStorage.getAsync('kept')).toEqual({ runs: 1 });
  });

  it('keeps undo steps: one undo reverts one committed step', () => {
    const fake = createNodeFakeFigma();
    const a = fake.figma.createRectangle();
    fake.figma.commitUndo();
    const b = fake.figma.createRectangle();
    fake.figma.commitUndo();
    expect(fake.undoSteps).toBe(2);
    fake.undo();
    expect(b.removed).toBe(true);
    expect(a.removed).toBe(false);
    expect(fake.created().map((n) => n.id)).toEqual([a.id]);
  });
});

describe('fake figma: undo, redo and nodechange', () => {
  it('redoes an undone step until a new change, and reports every change to the page in a later task', async () => {
    const fake = createNodeFakeFigma();
    const frame = fake.frame({ name: 'Card', width: 100 });
    const events: Array<Array<{ id: string; type: string; properties?: string[] }>> = [];
    fake.currentPage.on('nodechange', (e) => void events.push(e.nodeChanges.map(({ id, type, properties }) => ({ id, type, ...(properties ? { properties } : {}) }))));
    const rect = fake.figma.createRectangle() as unknown as FakeNode;
    frame.resize(300, 100);
    fake.figma.commitUndo();
    expect(events).toEqual([]); // delivered after the change, not during it
    await fake.settle(2);
    expect(events).toEqual([[{ id: rect.id, type: 'CREATE' }, { id: frame.id, type: 'PROPERTY_CHANGE', properties: ['width'] }]]);

    fake.undo();
    expect([rect.removed, frame.width]).toEqual([true, 100]);
    await fake.settle(2);
    expect(events[1]).toEqual([{ id: frame.id, type: 'PROPERTY_CHANGE', properties: ['width'] }, { id: rect.id, type: 'DELETE' }]);

    expect(fake.redo().length).toBeGreaterThan(0);
    expect([rect.removed, frame.width]).toEqual([false, 300]);
    await fake.settle(2);
    expect(events[2]!.map((c) => c.type)).toEqual(['CREATE', 'PROPERTY_CHANGE']);

    fake.undo();
    frame.name = 'Edited'; // a new change: nothing left to redo
    fake.figma.commitUndo();
    expect(fake.redo()).toEqual([]);
    expect(rect.removed).toBe(true);
  });

  it('delivers documentchange only after loadAllPagesAsync, as Figma does with dynamic-page access', async () => {
    const fake = createNodeFakeFigma();
    const frame = fake.frame({ name: 'Card' });
    expect(() => fake.figma.on('documentchange', () => {})).toThrow(/loadAllPagesAsync/);
    await fake.figma.loadAllPagesAsync();
    const seen: string[] = [];
    fake.figma.on('documentchange', (e) => void seen.push(...e.documentChanges.map((c) => `${c.type} ${c.id}`)));
    frame.remove();
    fake.figma.commitUndo();
    fake.undo();
    await fake.settle(2);
    expect(seen).toEqual([`DELETE ${frame.id}`, `CREATE ${frame.id}`]);
  });
});
