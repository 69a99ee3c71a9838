// Style kits and the new ratios in the playground (issue 14): a kit saved "in this file" lives in
// the document (figma.root plugin data) and a second plugin session on the same document, with
// nothing of it in clientStorage, picks it up; a run with it sends the prompt plus its suffix at
// its model and tier; a 4:5 kit asks OpenAI for a 4:5 size.
import { describe, expect, it } from 'vitest';
import { screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

const h = useHarness();
const open = h.open;

const KITS_KEY = 'framefill.v1.kits';
const imageRequests = () => h.harness.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const rootKits = (pg: Playground) => pg.page.evaluate((key) => window.__playground!.fake.figma.root.getPluginData(key), KITS_KEY);
const storedKits = (pg: Playground) => pg.page.evaluate((key) => window.__playground!.fake.clientStorage.raw.get(key) ?? null, KITS_KEY);
const shot = (pg: Playground, name: string) => pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
const SUFFIX = '85mm, rim light, teal and orange brand palette';

describe('style kits', () => {
  it('a kit saved in this file is seen by the next session on the document and runs with its suffix, model, tier and 4:5', async () => {
    const pg = await open();
    // The kit: 2.5 Flare at High, 4:5, with the Square frame pinned as its reference.
    await expect.poll(() => pg.panel.getByRole('radiogroup', { name: 'Model' }).getByRole('radio').count(), { timeout: 10_000 }).toBe(3);
    await pg.pickModel('2.5 Flare');
    await pg.panel.getByRole('radio', { name: /^High,/ }).click();
    await pg.panel.getByRole('radio', { name: '4:5' }).click();
    await pg.clickFrame('square');
    await pg.panel.getByRole('button', { name: 'Pin selection' }).click();
    await pg.panel.getByRole('button', { name: 'Save as kit…' }).click();
    const form = pg.panel.getByRole('form', { name: 'Save as kit' });
    await form.getByLabel('Name').fill('Brand flare');
    await form.getByLabel(/^Suffix/).fill(SUFFIX);
    await form.getByRole('radio', { name: /In this file/ }).check();
    await form.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await shot(pg, 'kits-save-360');
    await form.getByRole('button', { name: 'Save kit' }).click();
    await expect.poll(() => rootKits(pg)).toContain('Brand flare');
    expect(await storedKits(pg)).toBeNull(); // a file kit is not a personal one

    // The next session: the form back at other choices, nothing of kits in clientStorage, and
    // the kit's reference still on the canvas.
    await pg.closePlugin();
    await pg.page.evaluate((key) => {
      const storage = window.__playground!.fake.clientStorage;
      storage.raw.delete(key);
      storage.raw.delete('framefill.v1.kit-choice'); // nor which kit was in use
      const settings = storage.raw.get('framefill.v1.settings') as Record<string, unknown>;
      storage.raw.set('framefill.v1.settings', { ...settings, model: 'gpt-image-2', tier: 'low', sizeMode: 'auto' });
      window.__playground!.select([]);
    }, KITS_KEY);
    await pg.reopenPlugin();
    expect(await pg.panel.locator('.pin').count()).toBe(0);
    const picker = pg.panel.getByLabel('Style kit');
    await expect.poll(() => picker.locator('optgroup[label="In this file"] option').allTextContents()).toEqual(['Brand flare']);
    await picker.selectOption({ label: 'Brand flare' });
    expect(await pg.panel.locator('#kit-suffix').textContent()).toBe(`Sent after your prompt: ${SUFFIX}`);
    await expect.poll(() => pg.panel.locator('.pin-name').allTextContents()).toEqual(['Square 512×512']);
    expect(await pg.panel.getByRole('radio', { name: '4:5' }).getAttribute('aria-checked')).toBe('true');
    expect(await pg.panel.getByRole('radio', { name: /^High,/ }).getAttribute('aria-checked')).toBe('true');
    await pg.panel.locator('#prompt').fill('A copper kettle on a marble counter');
    await pg.panel.locator('#kit').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(pg, 'kits-picked-360');

    await pg.clickFrame('iphone');
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    await waitForSnapshot(pg, (s) => s.undoSteps >= 1 && s.nodes.some((n) => n.id === pg.scene.iphone && Array.isArray(n.fills) && n.fills.some((f) => f.type === 'IMAGE')));
    const [request] = imageRequests();
    expect(request?.fields).toMatchObject({ prompt: `A copper kettle on a marble counter, ${SUFFIX}`, model: 'gpt-image-2.5-flare', quality: 'high' });
    const [w, h] = String(request?.fields.size).split('x').map(Number) as [number, number];
    expect(w % 16).toBe(0);
    expect(h % 16).toBe(0);
    expect(Math.abs(w / h - 4 / 5)).toBeLessThan(0.01);
    expect(h).toBeGreaterThanOrEqual(852); // covers the 393×852 iPhone frame

    // Opened again, the kit in use is still in use: its suffix shows and goes with the prompt.
    await pg.closePlugin();
    await pg.reopenPlugin();
    await expect.poll(() => pg.panel.locator('#kit-suffix').textContent()).toBe(`Sent after your prompt: ${SUFFIX}`);
    expect(await pg.panel.getByLabel('Style kit', { exact: true }).inputValue()).toMatch(/^file\|/);
    expect(pg.errors).toEqual([]);
  });

  it('a personal kit stays out of the file; the size control shows all eleven sizes in two rows at 360 px (dark theme)', async () => {
    const pg = await open({ theme: 'dark' });
    await pg.panel.getByLabel('Style kit').selectOption({ label: 'Social feed portrait' });
    await pg.panel.getByRole('button', { name: 'Save as kit…' }).click();
    const form = pg.panel.getByRole('form', { name: 'Save as kit' });
    await form.getByLabel('Name').fill('My portraits');
    await form.getByRole('radio', { name: 'Personal' }).check();
    await form.getByRole('button', { name: 'Save kit' }).click();
    await expect.poll(async () => JSON.stringify(await storedKits(pg))).toContain('My portraits');
    expect(await rootKits(pg)).toBe('');
    expect(await pg.panel.locator('optgroup[label="Personal"] option').allTextContents()).toEqual(['My portraits']);
    await pg.panel.locator('#kit').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(pg, 'kits-personal-dark-360');

    // Deleting asks first, then the kit goes from clientStorage and the picker.
    await pg.panel.getByRole('button', { name: /^Delete kit My portraits/ }).click();
    const confirm = pg.panel.getByRole('group', { name: 'Delete kit' });
    expect(await confirm.textContent()).toMatch(/^Delete “My portraits” from your kits\?/);
    await shot(pg, 'kits-delete-dark-360');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => JSON.stringify(await storedKits(pg))).toBe('[]');
    expect(await pg.panel.locator('optgroup[label="Personal"]').count()).toBe(0);
    expect(await pg.panel.locator('#kit').inputValue()).toBe('');

    const sizes = pg.panel.getByRole('radiogroup', { name: 'Size' });
    expect(await sizes.getByRole('radio').allTextContents()).toEqual(['Auto', '1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', 'Custom']);
    const tops = await sizes.getByRole('radio').evaluateAll((els) => [...new Set(els.map((el) => Math.round(el.getBoundingClientRect().top)))]);
    expect(tops).toHaveLength(2);
    await sizes.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(pg, 'kits-sizes-360');
    expect(pg.errors).toEqual([]);
  });
});
