// Draft → Finalize and bulk re-run from provenance (issue 14): the built panel in the playground,
// the real backend, the fake OpenAI. Drafts are made at Low; chosen ones are finalized at High
// with each draft as its reference; every Framefill image on the page is re-run at Medium from its
// recorded prompt. Each replaces its image in place, one undo step per placement.
import { describe, expect, it } from 'vitest';
import { imageFills, nodeIn, screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

// Fresh images per request, as the real API: a replaced image must be told from the draft.
const env = useHarness({ fake: { latencyMs: 20, freshImages: true } });
const fake = () => env.harness.fake;

const DRAFTS: Record<string, string> = {
  square: 'Copper kettle on a linen cloth, studio photo, 50mm, softbox',
  banner: 'Linen bath towels stacked on a stool, studio photo, 50mm, softbox',
  iphone: 'Oak cutting board with herbs, studio photo, 50mm, softbox',
};
const imageRequests = () => fake().requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const hashesOf = async (p: Playground, id: string) => imageFills(nodeIn(await p.snapshot(), id)).map((f) => f.imageHash);
const panelShot = (p: Playground, name: string) => p.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
const provenanceOf = async (p: Playground, id: string) => JSON.parse(nodeIn(await p.snapshot(), id).pluginData.framefill ?? '{}') as { prompt?: string; tier?: string };

/** Three drafts at Low, one run per frame, each with its own prompt; the hashes of the drafts. */
async function makeDrafts(p: Playground): Promise<Record<string, string>> {
  let steps = 0;
  for (const [role, prompt] of Object.entries(DRAFTS)) {
    await p.clickFrame(role);
    await expect.poll(() => p.panel.locator('#plan-line').textContent()).toMatch(/^Fill 1 empty frame/);
    await p.run(prompt, 'Low');
    steps += 1;
    await waitForSnapshot(p, (s) => s.undoSteps === steps);
  }
  const hashes: Record<string, string> = {};
  for (const role of Object.keys(DRAFTS)) hashes[role] = (await hashesOf(p, p.scene[role]!))[0]!;
  expect(imageRequests().map((r) => r.fields.quality)).toEqual(['low', 'low', 'low']);
  fake().reset();
  return hashes;
}

describe('Draft → Finalize', () => {
  it('finalizes only the two chosen drafts at High, each an edit with its own prompt and the draft as reference, replacing it in place', async () => {
    const pg = await env.open();
    const drafts = await makeDrafts(pg);
    const [square, banner, iphone] = [pg.scene.square!, pg.scene.banner!, pg.scene.iphone!];

    await pg.clickFrame('square');
    await pg.clickFrame('banner', true);
    const section = pg.panel.locator('section.finalize');
    await expect.poll(() => section.locator('.label-aside').textContent()).toBe('2 Framefill images selected');
    await pg.panel.getByRole('radio', { name: /^Final High,/ }).click();
    const line = pg.panel.locator('#finalize-line');
    // Only these two of the three drafts on the page go to High, and the panel says what that saves.
    await expect.poll(() => line.textContent()).toMatch(/^Finalizing 2 of 3 drafts: ≈ \$0\.\d\d instead of ≈ \$0\.\d\d for all 3$/);
    const [chosen, all] = [...(await line.textContent())!.matchAll(/\$(\d+\.\d\d)/g)].map((m) => Number(m[1]));
    expect(chosen!).toBeLessThan(all!);
    // HD asks more pixels of each final, and the estimate says so; off again for this run.
    const hd = pg.panel.getByRole('switch', { name: 'HD final (2× the layer)' });
    await pg.panel.getByText('HD final (2× the layer)').click(); // the label, as a user clicks it
    expect(await hd.isChecked()).toBe(true);
    await expect.poll(async () => Number(/\$(\d+\.\d\d)/.exec((await line.textContent())!)![1])).toBeGreaterThan(chosen!);
    await pg.panel.getByText('HD final (2× the layer)').click();
    expect(await hd.isChecked()).toBe(false);
    await expect.poll(() => line.textContent()).toContain(`≈ $${chosen!.toFixed(2)} instead`);
    await panelShot(pg, 'finalize-savings');
    await pg.page.evaluate(() => window.__playground!.setTheme('dark'));
    await panelShot(pg, 'finalize-savings-dark');
    await pg.page.evaluate(() => window.__playground!.setTheme('light'));

    const before = (await pg.snapshot()).undoSteps;
    await pg.panel.getByRole('button', { name: /^Finalize 2$/ }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before + 2 && s);

    const requests = imageRequests();
    expect(requests.map((r) => [r.route, r.fields.quality])).toEqual([['edits', 'high'], ['edits', 'high']]);
    expect(requests.map((r) => r.fields.prompt).sort()).toEqual([DRAFTS.square, DRAFTS.banner].sort());
    for (const r of requests) expect(r.files.filter((f) => f.field.startsWith('image')), 'the draft goes as the reference').toHaveLength(1);
    // The references are the drafts' own layers, exported.
    expect([...new Set(done.exports.map((e) => e.nodeId))].sort()).toEqual([square, banner].sort());

    for (const id of [square, banner]) {
      const fills = imageFills(nodeIn(done, id));
      expect(fills).toHaveLength(1); // exactly one image fill …
      expect(Object.values(drafts)).not.toContain(fills[0]!.imageHash); // … the final one
      expect((await provenanceOf(pg, id)).tier).toBe('high');
    }
    expect(await hashesOf(pg, iphone)).toEqual([drafts.iphone]); // the third draft untouched
    expect(done.created).toEqual([]); // replaced in place, nothing stacked above
    await expect.poll(() => line.textContent()).toBe('The selected images are already at this setting.');
    await expect.poll(() => pg.panel.getByText(/^Replaced the image in /).count()).toBe(2);
    expect(await pg.panel.getByText(/^Placed above /).count()).toBe(0);
    await panelShot(pg, 'finalize-done');

    // One undo step per placement: one Undo brings one draft back.
    await pg.page.evaluate(() => window.__playground!.undo());
    const undone = await pg.snapshot();
    const back = [square, banner].filter((id) => imageFills(nodeIn(undone, id))[0]!.imageHash === (id === square ? drafts.square : drafts.banner));
    expect(back).toHaveLength(1);
    expect(pg.errors).toEqual([]);
  });
});

describe('bulk re-run from provenance', () => {
  it('"Select Framefill images on this page" selects all three; a re-run at Medium regenerates each from its recorded prompt, in place', async () => {
    const pg = await env.open();
    const drafts = await makeDrafts(pg);
    const ids = ['square', 'banner', 'iphone'].map((role) => pg.scene[role]!);

    await pg.clickFrame('desktop'); // not a Framefill image
    const selectAll = pg.panel.getByRole('button', { name: 'Select Framefill images on this page (3)' });
    await selectAll.click();
    await expect.poll(async () => (await pg.snapshot()).selection.sort()).toEqual([...ids].sort());
    await expect.poll(() => pg.panel.locator('section.finalize .label-aside').textContent()).toBe('3 Framefill images selected');
    await pg.panel.getByRole('radio', { name: /^Final Medium,/ }).click();
    const rerun = pg.panel.getByRole('button', { name: /^Re-run 3 · ≈ \$0\.\d\d$/ });
    await expect.poll(() => rerun.isEnabled()).toBe(true);
    await panelShot(pg, 'finalize-bulk-selected');

    const before = (await pg.snapshot()).undoSteps;
    await rerun.click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === before + 3 && s);
    const requests = imageRequests();
    expect(requests.map((r) => [r.route, r.fields.quality])).toEqual(Array(3).fill(['generations', 'medium']));
    expect(requests.map((r) => r.fields.prompt).sort()).toEqual(Object.values(DRAFTS).sort());
    expect(done.commitUndoCalls - before).toBe(3);
    for (const [i, id] of ids.entries()) {
      const fills = imageFills(nodeIn(done, id));
      expect(fills).toHaveLength(1);
      expect(fills[0]!.imageHash).not.toBe(Object.values(drafts)[i]);
      const provenance = await provenanceOf(pg, id);
      expect([provenance.tier, provenance.prompt]).toEqual(['medium', Object.values(DRAFTS)[i]]);
    }
    expect(done.created).toEqual([]);
    await panelShot(pg, 'finalize-bulk-done');
    expect(pg.errors).toEqual([]);
  });
});

describe("Settings' confirm threshold before Finalize and Re-run", () => {
  it('asks once above it, in the section, about their own totals; Cancel spends nothing, "… anyway" goes', async () => {
    const pg = await env.open();
    await makeDrafts(pg);
    await pg.panel.getByRole('tab', { name: 'Settings' }).click();
    await pg.panel.getByLabel('Ask before runs over ($)').fill('0.20');
    await pg.panel.getByRole('tab', { name: 'Create' }).click();
    await pg.clickFrame('square');
    await pg.clickFrame('banner', true);
    await expect.poll(() => pg.panel.locator('section.finalize .label-aside').textContent()).toBe('2 Framefill images selected');
    await pg.panel.getByRole('radio', { name: /^Final High,/ }).click();
    const line = pg.panel.locator('#finalize-line');
    await expect.poll(() => line.textContent()).toMatch(/^Finalizing 2 of 3 drafts: ≈ \$0\.\d\d/);
    const finalizeUsd = /\$(\d+\.\d\d)/.exec((await line.textContent())!)![1];

    await pg.panel.getByRole('button', { name: /^Finalize 2$/ }).click();
    const question = pg.panel.locator('section.finalize').getByRole('alertdialog');
    expect(await question.textContent()).toContain(`Finalizing may cost ≈ $${finalizeUsd}`);
    await question.scrollIntoViewIfNeeded();
    await panelShot(pg, 'finalize-confirm');
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await question.count()).toBe(0);

    // The bulk Re-run asks about its own total.
    const rerun = pg.panel.getByRole('button', { name: /^Re-run 2 · ≈ \$\d+\.\d\d$/ });
    const rerunUsd = /\$(\d+\.\d\d)/.exec((await rerun.textContent())!)![1];
    await rerun.click();
    expect(await question.textContent()).toContain(`This re-run may cost ≈ $${rerunUsd}`);
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(imageRequests()).toEqual([]);

    // Asked again, "Finalize anyway" finalizes the two drafts without asking twice.
    const before = (await pg.snapshot()).undoSteps;
    await pg.panel.getByRole('button', { name: /^Finalize 2$/ }).click();
    await question.getByRole('button', { name: 'Finalize anyway' }).click();
    await waitForSnapshot(pg, (s) => s.undoSteps === before + 2);
    expect(imageRequests().map((r) => [r.route, r.fields.quality])).toEqual([['edits', 'high'], ['edits', 'high']]);
    expect(pg.errors).toEqual([]);
  });
});
