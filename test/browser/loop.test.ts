// The designer's loop (issue 13): run again, undo, redo, edit the canvas, Regenerate, quick action —
// the built panel in the playground against the real backend and the fake OpenAI. Each test
// asserts what the user sees in the panel and what is on the canvas.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageFills, nodeIn, screenshotPath, startHarness, waitForSnapshot, type Harness, type Playground } from './harness';

let h: Harness;
let pg: Playground | undefined;

beforeAll(async () => {
  // Fresh images per request, as the real API: "the new one" must be told from the old.
  h = await startHarness({ fake: { latencyMs: 20, freshImages: true } });
});
afterEach(async () => {
  if (pg) expect(pg.errors).toEqual([]);
  await pg?.close();
  pg = undefined;
  h.fake.reset();
});
afterAll(async () => {
  await h?.close();
});

const PROMPT = 'A ceramic mug on a walnut desk, morning window light, editorial photography';
const imageRequests = () => h.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const hashesOf = async (p: Playground, id: string) => imageFills(nodeIn(await p.snapshot(), id)).map((f) => f.imageHash);
const selectionChanges = (p: Playground) => p.page.evaluate(() => window.__playground!.fake.selectionChanges);
const undo = (p: Playground) => p.page.evaluate(() => window.__playground!.undo());
const redo = (p: Playground) => p.page.evaluate(() => window.__playground!.redo());
const planLine = (p: Playground) => p.panel.locator('#plan-line');
const panelShot = (p: Playground, name: string) => p.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
/** Selects the empty Square frame on the canvas, as the user does; its id. */
const selectSquare = async (p: Playground) => {
  await p.clickFrame('square');
  await expect.poll(() => planLine(p).textContent()).toMatch(/^Fill 1 empty frame/);
  return p.scene.square!;
};
/** "Placed" as the user reads it on a result card: the badge and the status line */
const placedTexts = (p: Playground) => p.panel.locator('.job .badge, .job-status').filter({ hasText: /^Placed/ }).count();

describe('running again on a frame Framefill filled', () => {
  it('two runs make two generations and leave one image fill, the new one; undo and redo keep the panel true', async () => {
    pg = await h.open();
    const square = await selectSquare(pg);

    await pg.run(PROMPT, 'Low');
    await waitForSnapshot(pg, (s) => s.undoSteps === 1);
    const [first] = await hashesOf(pg, square);
    // Still a fill target: the next run is a fresh generation, and restyling is offered as a choice.
    await expect.poll(() => planLine(pg!).textContent()).toMatch(/^Replace the image in 1 frame · 1 image/);
    const choice = pg.panel.getByRole('checkbox', { name: 'Use current image as reference' });
    await expect.poll(() => choice.isVisible()).toBe(true);
    expect(await choice.isChecked()).toBe(false);

    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForSnapshot(pg, (s) => s.undoSteps === 2);
    const requests = imageRequests();
    expect(requests.map((r) => r.route)).toEqual(['generations', 'generations']);
    expect(requests.map((r) => r.fields.prompt)).toEqual([PROMPT, PROMPT]);
    const second = await hashesOf(pg, square);
    expect(second).toHaveLength(1); // exactly one image fill …
    expect(second[0]).not.toBe(first); // … the new one
    const done = await pg.snapshot();
    expect(done.created).toEqual([]); // replaced in place, nothing stacked above
    await expect.poll(() => placedTexts(pg!)).toBeGreaterThan(0);
    await panelShot(pg, 'loop-second-run');

    const changes = await selectionChanges(pg);
    // Undo: the first image is back, and the card of the second run no longer says "Placed".
    await undo(pg);
    expect(await hashesOf(pg, square)).toEqual([first]);
    await expect.poll(() => placedTexts(pg!)).toBe(0);
    await expect.poll(() => pg!.panel.getByRole('button', { name: 'Place', exact: true }).isVisible()).toBe(true);
    await panelShot(pg, 'loop-undone-card');
    // Redo: it is back on the canvas and the card says so again.
    await redo(pg);
    expect(await hashesOf(pg, square)).toEqual(second);
    await expect.poll(() => placedTexts(pg!)).toBeGreaterThan(0);

    // Two undos: the empty frame; the panel says Fill and no longer offers the current image.
    await undo(pg);
    await undo(pg);
    expect(await hashesOf(pg, square)).toEqual([]);
    await expect.poll(() => choice.count()).toBe(0);
    expect(await planLine(pg).textContent()).toMatch(/^Fill 1 empty frame/);
    expect(await selectionChanges(pg)).toBe(changes); // nobody touched the selection
    await panelShot(pg, 'loop-two-undos');
  });

  it('"Use current image as reference" restyles it (an edit), replacing it in place; undos bring back Fill without a selection change', async () => {
    pg = await h.open();
    const square = await selectSquare(pg);
    await pg.run(PROMPT, 'Low');
    await waitForSnapshot(pg, (s) => s.undoSteps === 1);
    const choice = pg.panel.getByRole('checkbox', { name: 'Use current image as reference' });
    await pg.panel.getByText('Use current image as reference').click(); // the label, as a user clicks it
    expect(await choice.isChecked()).toBe(true);
    await expect.poll(() => planLine(pg!).textContent()).toMatch(/^Restyle 1 layer/);
    await panelShot(pg, 'loop-use-current-image');
    await pg.page.evaluate(() => window.__playground!.setTheme('dark'));
    await panelShot(pg, 'loop-use-current-image-dark');

    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForSnapshot(pg, (s) => s.undoSteps === 2);
    expect(imageRequests().map((r) => r.route)).toEqual(['generations', 'edits']);
    expect(await hashesOf(pg, square)).toHaveLength(1);
    expect((await pg.snapshot()).created).toEqual([]);

    const changes = await selectionChanges(pg);
    await undo(pg);
    await undo(pg);
    await expect.poll(() => planLine(pg!).textContent()).toMatch(/^Fill 1 empty frame/);
    expect(await selectionChanges(pg)).toBe(changes);
  });
});

describe('every entry point a Figma user has', () => {
  it('Regenerate on a filled frame reruns its prompt, model, tier and size as a fresh generation that replaces the image', async () => {
    pg = await h.open();
    const banner = pg.scene.banner!;
    await pg.clickFrame('banner');
    await pg.run(PROMPT, 'High');
    await waitForSnapshot(pg, (s) => s.undoSteps === 1);
    const [before] = await hashesOf(pg, banner);
    const first = imageRequests()[0]!;

    await pg.page.evaluate((id) => window.__playground!.relaunch(id, 'regenerate'), banner);
    await waitForSnapshot(pg, (s) => s.undoSteps === 2);
    const [, again] = imageRequests();
    expect(again!.route).toBe('generations');
    expect([again!.fields.prompt, again!.fields.quality, again!.fields.size, again!.fields.model]).toEqual([first.fields.prompt, 'high', first.fields.size, first.fields.model]);
    const after = await hashesOf(pg, banner);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
    await panelShot(pg, 'loop-regenerated');
  });

  it('the "Framefill: Generate" quick action runs with its prompt and tier', async () => {
    pg = await h.open();
    await pg.clickFrame('iphone');
    await pg.page.evaluate(() => window.__playground!.quickAction('generate', { prompt: 'Mountain lake at dawn, mist, muted film colours', tier: 'low' }));
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 1 && s);
    const [request] = imageRequests();
    expect(request).toMatchObject({ route: 'generations', fields: { prompt: 'Mountain lake at dawn, mist, muted film colours', quality: 'low' } });
    expect(imageFills(nodeIn(done, pg.scene.iphone!))).toHaveLength(1);
  });

  it('Ctrl+Enter runs from anywhere in the panel, not only the prompt', async () => {
    pg = await h.open();
    await pg.clickFrame('square');
    await pg.panel.locator('#prompt').fill(PROMPT);
    await pg.panel.getByRole('radio', { name: /^Low,/ }).click(); // focus is on the tier now
    await pg.panel.getByRole('radio', { name: /^Low,/ }).press('Control+Enter');
    await waitForSnapshot(pg, (s) => s.undoSteps === 1);
    expect(imageRequests()).toHaveLength(1);
  });
});

describe('the panel stays true to the canvas', () => {
  it('a resized target changes the plan without reselecting', async () => {
    pg = await h.open();
    const square = await selectSquare(pg);
    const changes = await selectionChanges(pg);
    // Wider than the model's 3:1: the plan says how it copes.
    await pg.page.evaluate((id) => window.__playground!.resize(id, 1600, 400), square);
    await expect.poll(() => pg!.panel.locator('.plan').textContent()).toMatch(/wider than 3:1/);
    await panelShot(pg, 'loop-resized-target');
    await pg.page.evaluate((id) => window.__playground!.resize(id, 1024, 512), square);
    await expect.poll(() => pg!.panel.locator('.plan').textContent()).not.toMatch(/wider than 3:1/);
    expect(await selectionChanges(pg)).toBe(changes);

    await pg.run(PROMPT, 'Low');
    await waitForSnapshot(pg, (s) => s.undoSteps === 3);
    const [w, hgt] = String(imageRequests()[0]!.fields.size).split('x').map(Number);
    expect(w! / hgt!).toBeCloseTo(2, 1); // the request has the frame's new 2:1 shape
  });

  it('a deleted target leaves the plan; a new layer at the viewport centre goes beside the frame there, without moving the view', async () => {
    pg = await h.open();
    const desktop = pg.scene.desktop!;
    await pg.clickFrame('square');
    await pg.page.evaluate((id) => window.__playground!.remove(id), pg.scene.square!);
    await expect.poll(() => planLine(pg!).textContent()).toMatch(/^New image at the viewport centre/);

    // The view is centred on the Desktop frame, zoomed out far enough to show free canvas beside it.
    const view = await pg.page.evaluate((id) => {
      const { fake } = window.__playground!;
      const box = fake.node(id)!.absoluteBoundingBox!;
      fake.figma.viewport.center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      fake.figma.viewport.zoom = 0.2;
      return { center: { ...fake.figma.viewport.center }, zoom: fake.figma.viewport.zoom };
    }, desktop);
    await pg.run(PROMPT, 'Low');
    const done = await waitForSnapshot(pg, (s) => s.created.length === 1 && s);
    const layer = nodeIn(done, done.created[0]!).box!;
    const covers = (b: { x: number; y: number; width: number; height: number }) => layer.x < b.x + b.width && b.x < layer.x + layer.width && layer.y < b.y + b.height && b.y < layer.y + layer.height;
    const frames = done.nodes.filter((n) => n.parentId === null && n.id !== done.created[0]);
    expect(frames.filter((n) => n.box && covers(n.box)).map((n) => n.name)).toEqual([]);
    expect(done.viewport).toEqual(view); // it is in view: no jump
    await pg.page.screenshot({ path: screenshotPath('loop-new-layer-beside') });
  });
});
