// Issue 13, items 4–6 and History's Place button: nothing paid is lost (every variation of a run
// stays in History, placeable without a new request, across a reopen), Settings mean what they
// say (Save re-checks the connection, the error is worded for Settings, `localhost:<port>` is
// understood), and work survives closing the panel (the draft prompt; a Re-run's size is for
// that run only).
import { describe, expect, it } from 'vitest';
import { imageFills, nodeIn, screenshotPath, TEST_TOKEN, useHarness, waitForSnapshot, type Playground } from './harness';

const h = useHarness({ fake: { latencyMs: 20 } });
let pg: Playground | undefined;

const imageRequests = () => h.harness.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const shot = (p: Playground, name: string) => p.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
/** The images Framefill placed on the canvas (created nodes with an image fill), by hash. */
const placedHashes = async (p: Playground) => {
  const s = await p.snapshot();
  return s.nodes.filter((n) => s.created.includes(n.id)).flatMap((n) => imageFills(n).map((f) => f.imageHash));
};
const historyItems = (p: Playground) => p.panel.getByRole('list', { name: 'History' }).locator(':scope > li');

describe('nothing paid is lost', () => {
  it('keeps both images of a 2-variation run in History with the run cost, each placeable later without a new request', async () => {
    pg = await h.open();
    await pg.panel.locator('#prompt').fill('A lighthouse on a cliff at dusk, wide shot, film photography');
    await pg.panel.getByRole('radio', { name: '2 variations' }).click();
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const card = pg.panel.locator('article.job');
    await expect.poll(() => card.locator('.job-status').textContent(), { timeout: 15_000 }).toBe('2 variations — click one to place it.');
    expect(imageRequests()).toHaveLength(1);
    const cost = (await card.locator('.job-meta').textContent())!.match(/\$(\d+\.\d+)/)![1]!;

    // Nothing placed yet, and both images are in History already, at the run's whole cost.
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    const item = historyItems(pg).first();
    await expect.poll(() => item.textContent()).toContain(`2 images · $${cost}`);
    expect(await item.locator('img').count()).toBe(2);
    await item.locator('img').nth(1).evaluate((img) => (img as HTMLImageElement).decode());
    await shot(pg, 'state-history-two-images');
    await pg.page.evaluate(() => window.__playground!.setTheme('dark'));
    await shot(pg, 'state-history-two-images-dark');
    await pg.page.evaluate(() => window.__playground!.setTheme('light'));

    await item.getByRole('button', { name: 'Place: image 2 of 2' }).click();
    await expect.poll(() => placedHashes(pg!)).toHaveLength(1);
    await expect.poll(() => item.getByRole('button', { name: 'Place again: image 2 of 2' }).count()).toBe(1);

    // Tomorrow: the panel closed and opened again; the other image is still there to place.
    await pg.closePlugin();
    await pg.reopenPlugin();
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    // Nothing selected: onto the selected Framefill layer the image would replace its image in place (issue 13 item 1).
    await pg.page.evaluate(() => window.__playground!.select([]));
    const again = historyItems(pg).first();
    expect(await again.textContent()).toContain(`2 images · $${cost}`);
    await again.getByRole('button', { name: 'Place: image 1 of 2' }).click();
    await expect.poll(() => placedHashes(pg!)).toHaveLength(2);
    const [first, second] = await placedHashes(pg);
    expect(first).not.toBe(second); // two different variations, not one twice
    expect(imageRequests()).toHaveLength(1); // paid once, placed twice from History
    expect(pg.errors).toEqual([]);
  });

  it('"Place again" is a visible button that places the entry again, with no new request', async () => {
    pg = await h.open();
    await pg.run('A ceramic mug on a walnut desk, editorial photography', 'Low');
    await expect.poll(() => placedHashes(pg!), { timeout: 15_000 }).toHaveLength(1);
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    const button = historyItems(pg).first().getByRole('button', { name: 'Place again' });
    expect(await button.isVisible()).toBe(true);
    await shot(pg, 'state-history-place-again');
    await pg.page.evaluate(() => window.__playground!.select([])); // the placed layer was selected: place beside, not on it
    await button.click();
    await expect.poll(() => placedHashes(pg!)).toHaveLength(2);
    const [a, b] = await placedHashes(pg);
    expect(b).toBe(a);
    expect(imageRequests()).toHaveLength(1);
    expect(await pg.panel.locator('.history .status-line').textContent()).toBe('Placed at the viewport centre.');
  });
});

describe('settings mean what they say', () => {
  it('re-checks the connection on Save: a wrong token shows an error worded for Settings, the fixed token clears it', async () => {
    pg = await h.open();
    await pg.panel.getByRole('tab', { name: 'Settings' }).click();
    const status = pg.panel.locator('.connection');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('Connected as test');

    const token = pg.panel.getByLabel('Access token');
    await token.fill('not-the-token');
    expect(await status.textContent()).not.toContain('Connected'); // about the saved settings, not these
    await pg.panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('The access token was refused — check the access token above and save.');
    await shot(pg, 'state-settings-wrong-token');

    await token.fill(TEST_TOKEN);
    await pg.panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Connected as test/);
    expect(await pg.panel.locator('.connection .error-text').count()).toBe(0);
    await shot(pg, 'state-settings-fixed');
  });

  it('understands localhost:<port> without a scheme, says so, and connects', async () => {
    pg = await h.open();
    await pg.panel.getByRole('tab', { name: 'Settings' }).click();
    const port = new URL(h.harness.backend.url).port;
    await pg.panel.getByLabel('Backend URL').fill(`localhost:${port}`);
    expect(await pg.panel.locator('#backend-url-help').textContent()).toBe(`Connects to http://localhost:${port} — localhost gets http://, any other address https://.`);
    await shot(pg, 'state-settings-no-scheme');
    await pg.panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => pg!.panel.locator('.connection').textContent(), { timeout: 10_000 }).toMatch(/^Connected as test/);
    expect(await pg.panel.getByLabel('Backend URL').inputValue()).toBe(`http://localhost:${port}`);
    const stored = (await pg.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.settings'))) as { backendUrl: string };
    expect(stored.backendUrl).toBe(`http://localhost:${port}`);
  });
});

describe('work survives closing the panel', () => {
  it('brings the draft prompt back when the plugin is run again', async () => {
    pg = await h.open();
    const draft = 'A koi pond from above, morning light, ink wash';
    await pg.panel.locator('#prompt').fill(draft);
    await expect
      .poll(() => pg!.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.draft')))
      .toEqual({ prompt: draft, lockLook: false, when: 'now' });
    await pg.closePlugin();
    await pg.reopenPlugin();
    expect(await pg.panel.locator('#prompt').inputValue()).toBe(draft);
  });

  it('brings Lock the look and the When choice back with the draft', async () => {
    pg = await h.open();
    await pg.clickFrame('square');
    await pg.clickFrame('banner', true);
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/^Fill 2 empty frames/);
    await pg.panel.locator('#prompt').fill('Two hero shots of one ceramic mug, same light');
    await pg.panel.getByText('Lock the look', { exact: true }).click();
    await pg.panel.getByRole('radio', { name: /^Overnight, about/ }).click();
    await expect
      .poll(() => pg!.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.draft')))
      .toEqual({ prompt: 'Two hero shots of one ceramic mug, same light', lockLook: true, when: 'overnight' });
    await pg.closePlugin();
    await pg.reopenPlugin();
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/^Fill 2 empty frames/);
    expect(await pg.panel.getByRole('checkbox', { name: 'Lock the look' }).isChecked()).toBe(true);
    expect(await pg.panel.getByRole('radio', { name: /^Overnight, about/ }).isChecked()).toBe(true);
    // both kept, as before closing: Run says why this pair can't go overnight with the look locked
    expect(await pg.panel.locator('#run-blocked').textContent()).toBe('Lock the look needs its first image before the rest — run it Now.');
    await shot(pg, 'state-draft-options-reopened');
  });

  it('applies a Re-run size to that run only: the next frame is back on the user size mode', async () => {
    pg = await h.open();
    const sizeMode = (name: string) => pg!.panel.getByRole('radiogroup', { name: 'Size' }).getByRole('radio', { name, exact: true });
    await sizeMode('3:2').click();
    await pg.clickFrame('square');
    await pg.run('A bowl of ramen, overhead, studio softbox', 'Low');
    await waitForSnapshot(pg, (s) => imageFills(nodeIn(s, pg!.scene.square!)).length === 1);
    const ranSize = String(imageRequests()[0]!.fields.size); // e.g. 1248x832 for 3:2

    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    await historyItems(pg).first().getByRole('button', { name: 'Re-run' }).click();
    expect(await sizeMode('Custom').getAttribute('aria-checked')).toBe('true');
    await pg.page.evaluate(() => window.__playground!.select([]));
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => imageRequests().length, { timeout: 15_000 }).toBe(2);
    expect(String(imageRequests()[1]!.fields.size)).toBe(ranSize); // the rerun made what was made
    // Placed as a new layer (and selected, the canvas zoomed to it) before the user moves on.
    await expect.poll(() => pg!.panel.getByText('Added at the viewport centre.').count(), { timeout: 15_000 }).toBe(1);

    // The next, unrelated frame: the user's 3:2 again, not "Custom <rerun size>".
    await pg.clickFrame('banner');
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/^Fill 1 empty frame/);
    await expect.poll(() => sizeMode('3:2').getAttribute('aria-checked')).toBe('true');
    expect(await pg.panel.locator('#plan-line').textContent()).not.toMatch(new RegExp(ranSize.replace('x', '×')));
    await shot(pg, 'state-after-rerun');
    const stored = (await pg.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.settings'))) as { sizeMode: string };
    expect(stored.sizeMode).toBe('3:2');
  });
});
