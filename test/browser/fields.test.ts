// Per-frame prompts (issue 14) in the built plugin: four product cards selected as four targets,
// one prompt with {text} sends four upstream prompts, each naming its own card's product; the
// plan shows every frame's prompt before the run and one line can be edited alone; a field with
// nothing nearby blocks Run; a run above Settings' threshold asks once. Selecting the cards
// themselves offers their empty photo frames as the targets.
import { describe, expect, it } from 'vitest';
import { imageFills, screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

const TITLES = ['Copper kettle', 'Linen bath towel', 'Oak cutting board', 'Wool throw'];
const PROMPT = 'Studio product photo of {text}, 50mm, softbox';
const PHOTOS = ['productPhoto1', 'productPhoto2', 'productPhoto3', 'productPhoto4'];

const t = useHarness();
const imagePrompts = () => t.harness.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits').map((r) => String(r.fields.prompt));

async function selectPhotos(pg: Playground, roles = PHOTOS): Promise<string[]> {
  const ids = roles.map((role) => pg.scene[role]!);
  await pg.page.evaluate((list) => window.__playground!.select(list), ids);
  await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(new RegExp(`^Fill ${roles.length} empty frame`));
  return ids;
}

const lines = (pg: Playground) => pg.panel.locator('.plan-targets .plan-target-input');

describe('per-frame prompts from the design', () => {
  it('fills four product cards from one {text} prompt: four upstream prompts, each with its own title, none with {text}', async () => {
    const pg = await t.open();
    const ids = await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill(PROMPT);
    // the plan shows every frame with the prompt it will run with, before anything is spent
    await expect.poll(() => lines(pg).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(TITLES.map((title) => `Studio product photo of ${title}, 50mm, softbox`));
    expect(await pg.panel.locator('#plan-line').textContent()).toMatch(/^Fill 4 empty frames · 4 images · ≈ \$0\.\d\d$/);
    const run = pg.panel.getByRole('button', { name: 'Run', exact: true });
    expect(await run.isEnabled()).toBe(true);
    // Run stays on screen with the list open (Figma's 360×640 panel)
    const box = await run.boundingBox();
    const frame = await pg.page.locator('iframe.plugin-iframe').boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(frame!.y + frame!.height);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-plan-360') });

    await run.click();
    await waitForSnapshot(pg, (s) => ids.every((id) => imageFills(s.nodes.find((n) => n.id === id)!).length === 1));
    const prompts = imagePrompts();
    expect(prompts).toHaveLength(4);
    for (const title of TITLES) expect(prompts.filter((p) => p.includes(title))).toHaveLength(1);
    expect(prompts.some((p) => p.includes('{text}'))).toBe(false);
    // four result cards for four frames all called "Photo": each names the card it filled
    await expect
      .poll(async () => (await pg.panel.locator('.job-status').allTextContents()).sort())
      .toEqual(TITLES.map((title) => `Filled Photo in Product card / ${title}.`).sort());
    // a batch's cards show their images at thumbnail height, so the whole mockup's results stay a short scroll
    const heights = await pg.panel.locator('.job .result img').evaluateAll((imgs) => imgs.map((img) => img.getBoundingClientRect().height));
    expect(heights).toHaveLength(4);
    expect(Math.max(...heights)).toBeLessThanOrEqual(112);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-results-360') });
    expect(pg.errors).toEqual([]);
  });

  it('selecting the four cards themselves offers their empty photo frames: one click makes them the targets, and a {text} run fills them', async () => {
    const pg = await t.open();
    const cards = ['productCard1', 'productCard2', 'productCard3', 'productCard4'].map((role) => pg.scene[role]!);
    const photos = PHOTOS.map((role) => pg.scene[role]!);
    await pg.page.evaluate((list) => window.__playground!.select(list), cards);
    await pg.panel.locator('#prompt').fill(PROMPT);
    // the cards alone would be restyled whole; the panel points at what they hold
    await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(/^Restyle 4 layers/);
    expect(await pg.panel.locator('#empty-inside').textContent()).toBe('4 empty frames inside the selection. Select them to fill');
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-empty-inside-360') });

    await pg.panel.getByRole('button', { name: 'Select them to fill' }).click();
    await expect.poll(() => pg.page.evaluate(() => window.__playground!.snapshot().selection)).toEqual(photos);
    await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(/^Fill 4 empty frames · 4 images/);
    expect(await pg.panel.locator('#empty-inside').count()).toBe(0);
    expect((await pg.page.evaluate(() => window.__playground!.snapshot())).undoSteps).toBe(0); // selecting is not an edit
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-empty-inside-selected-360') });

    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForSnapshot(pg, (s) => photos.every((id) => imageFills(s.nodes.find((n) => n.id === id)!).length === 1));
    const prompts = imagePrompts();
    expect(prompts).toHaveLength(4);
    for (const title of TITLES) expect(prompts.filter((p) => p.includes(title))).toHaveLength(1);
    // the cards keep their own fills: only the photos took images
    const after = await pg.page.evaluate(() => window.__playground!.snapshot());
    for (const id of cards) expect(imageFills(after.nodes.find((n) => n.id === id)!)).toEqual([]);
    expect(pg.errors).toEqual([]);
  });

  it('one prompt over four titled cards suggests {text}, and "Start with {text}" gives each frame its own subject', async () => {
    const pg = await t.open();
    await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill('Studio product photo, 50mm, softbox');
    const hint = pg.panel.locator('[data-hint="text-field"]');
    await expect.poll(() => hint.textContent()).toContain('4 frames each sit with their own text (“Copper kettle”, “Linen bath towel”, …)');
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-suggest-text-360') });
    await hint.getByRole('button', { name: 'Start with {text}' }).click();
    expect(await pg.panel.locator('#prompt').inputValue()).toBe('{text}, studio product photo, 50mm, softbox');
    await expect.poll(() => lines(pg).evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(TITLES.map((title) => `${title}, studio product photo, 50mm, softbox`));
    expect(await hint.count()).toBe(0); // the prompt uses a field now
    expect(pg.errors).toEqual([]);
  });

  it("an edited line changes that frame's prompt alone", async () => {
    const pg = await t.open();
    const ids = await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill(PROMPT);
    await lines(pg).nth(1).fill('Flat lay of a folded linen towel on oak, top light');
    expect(await pg.panel.locator('.plan-target').nth(1).getByRole('button', { name: /Use the main prompt/ }).count()).toBe(1);
    await pg.panel.getByRole('radio', { name: /^Low,/ }).click();
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForSnapshot(pg, (s) => ids.every((id) => imageFills(s.nodes.find((n) => n.id === id)!).length === 1));
    expect(imagePrompts().sort()).toEqual(
      [
        'Studio product photo of Copper kettle, 50mm, softbox',
        'Flat lay of a folded linen towel on oak, top light',
        'Studio product photo of Oak cutting board, 50mm, softbox',
        'Studio product photo of Wool throw, 50mm, softbox',
      ].sort(),
    );
  });

  it('flags {text} over a frame with no text nearby and keeps Run disabled', async () => {
    const pg = await t.open();
    await selectPhotos(pg, ['productPhoto1', 'iphone']);
    await pg.panel.locator('#prompt').fill(PROMPT);
    const problem = pg.panel.locator('#plan-problems, #run-blocked').getByText(/“iPhone 393×852” has nothing for \{text\}/);
    await expect.poll(() => problem.count()).toBeGreaterThan(0);
    expect(await pg.panel.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    expect(await pg.panel.locator('.plan-target-missing').count()).toBe(1);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-missing-360') });
    // writing that frame's own line unblocks the run
    await pg.panel.locator('.plan-target-missing input').fill('A kitchen shelf of copper pans, morning light');
    await expect.poll(() => pg.panel.getByRole('button', { name: 'Run', exact: true }).isEnabled()).toBe(true);
    expect(imagePrompts()).toEqual([]);
  });

  it('asks once before a run above $1.00 (Settings), and Cancel spends nothing', async () => {
    const pg = await t.open();
    await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill(PROMPT);
    await pg.panel.getByRole('radio', { name: /^High,/ }).click();
    await pg.panel.getByText('HD', { exact: true }).click(); // as a designer does: the switch's word
    expect(await pg.panel.getByRole('switch', { name: 'HD' }).isChecked()).toBe(true);
    await pg.panel.getByRole('radio', { name: '4 variations' }).click();
    const total = Number((await pg.panel.locator('#plan-line').textContent())!.match(/≈ \$(\d+\.\d\d)$/)![1]);
    expect(total).toBeGreaterThan(1);
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const question = pg.panel.getByRole('alertdialog');
    expect(await question.textContent()).toContain(`This run may cost ≈ $${total.toFixed(2)}`);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-confirm-360') });
    await question.getByRole('button', { name: 'Cancel' }).click();
    expect(await question.count()).toBe(0);
    expect(imagePrompts()).toEqual([]);
    // asked again on the next Run; "Run anyway" runs the whole batch, without asking twice
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    // Slow enough that the run is still going when the test looks for Cancel all (at 20 ms it
    // could be over before a loaded machine's first look).
    t.harness.fake.setLatency(1_500);
    try {
      await question.getByRole('button', { name: 'Run anyway' }).click();
      // the batch runs with a Cancel all and a status per frame
      await expect.poll(() => pg.panel.getByRole('button', { name: 'Cancel all' }).count(), { timeout: 5_000 }).toBe(1);
      await expect.poll(() => pg.panel.getByText('4 variations — click one to place it.').count(), { timeout: 60_000 }).toBe(4);
    } finally {
      t.harness.fake.setLatency(20);
    }
    expect(imagePrompts()).toHaveLength(4);
    expect(t.harness.fake.requests.every((r) => r.fields.n === undefined || Number(r.fields.n) === 4)).toBe(true);
  });

  it("the threshold is the user's, in Settings: raised above the estimate, the same run doesn't ask", async () => {
    const pg = await t.open();
    await pg.panel.getByRole('tab', { name: 'Settings' }).click();
    const field = pg.panel.getByLabel('Ask before runs over ($)');
    expect(await field.inputValue()).toBe('1.00');
    await field.fill('5');
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-settings-360') });
    await pg.panel.getByRole('tab', { name: 'Create' }).click();
    await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill(PROMPT);
    await pg.panel.getByRole('radio', { name: /^High,/ }).click();
    await pg.panel.getByRole('radio', { name: '4 variations' }).click();
    // above the default $1.00, below the user's $5.00
    const total = Number((await pg.panel.locator('#plan-line').textContent())!.match(/≈ \$(\d+\.\d\d)$/)![1]);
    expect(total).toBeGreaterThan(1);
    expect(total).toBeLessThan(5);
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => imagePrompts().length, { timeout: 30_000 }).toBe(4);
    expect(await pg.panel.getByRole('alertdialog').count()).toBe(0);
  });

  it('asks about the overnight total with When = Overnight, and runs a batch below the threshold without asking', async () => {
    const pg = await t.open();
    const setThreshold = async (usd: string) => {
      await pg.panel.getByRole('tab', { name: 'Settings' }).click();
      await pg.panel.getByLabel('Ask before runs over ($)').fill(usd);
      await pg.panel.getByRole('tab', { name: 'Create' }).click();
    };
    await selectPhotos(pg);
    await pg.panel.locator('#prompt').fill(PROMPT);
    await pg.panel.getByRole('radio', { name: /^High,/ }).click();
    const usd = async (name: RegExp) => Number(/\$(\d+\.\d\d)/.exec((await pg.panel.getByRole('radio', { name }).getAttribute('aria-label')) ?? '')![1]);
    const [nowUsd, overnightUsd] = [await usd(/^Now, about/), await usd(/^Overnight, about/)];
    expect(overnightUsd).toBeLessThan(nowUsd);
    await pg.panel.getByRole('radio', { name: /^Overnight, about/ }).click();

    // Below the overnight total: the question names it, not the Now price.
    await setThreshold('0.10');
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const question = pg.panel.getByRole('alertdialog');
    expect(await question.textContent()).toContain(`This overnight run may cost ≈ $${overnightUsd.toFixed(2)}`);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('fields-confirm-overnight-360') });
    await question.getByRole('button', { name: 'Cancel' }).click();

    // Between the two: Now would ask, the batch price doesn't.
    const between = ((nowUsd + overnightUsd) / 2).toFixed(2);
    await setThreshold(between);
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => pg.panel.locator('.scheduled-status').textContent(), { timeout: 15_000 }).toMatch(/^Scheduled/);
    expect(await question.count()).toBe(0);
    expect(imagePrompts()).toEqual([]); // nothing made Now
  });
});

