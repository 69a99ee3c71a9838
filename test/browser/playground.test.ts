// The playground itself: the built plugin starts against the fake figma, its panel opens in a
// Figma-like iframe, canvas selection reaches the panel, themes switch live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath, startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ demo: true });
});
afterAll(async () => {
  await h?.close();
});

describe('playground', () => {
  it('runs the built plugin and shows its panel in a sandboxed iframe with origin null', async () => {
    const pg = await h.open();
    const iframe = pg.page.locator('iframe.plugin-iframe');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts allow-popups allow-forms');
    expect(await iframe.evaluate((el: HTMLIFrameElement) => [el.style.width, el.style.height])).toEqual(['360px', '640px']);
    expect(await pg.panel.locator('html').evaluate(() => window.origin)).toBe('null');
    await expect.poll(() => pg.page.locator('#plugin-title').textContent()).toBe('Framefill');
    // the demo banner follows /playground/mode
    expect(await pg.page.locator('#demo-banner').isVisible()).toBe(true);
    // the seeded settings reached the panel: no "add a token" nudge
    expect(await pg.panel.getByText('No access token yet').count()).toBe(0);
    expect(pg.errors).toEqual([]);
    await pg.close();
  });

  it('selecting frames on the canvas updates the panel plan line; empty canvas clears', async () => {
    const pg = await h.open();
    const plan = pg.panel.locator('#plan-line');
    const nothing = await plan.textContent();
    await pg.clickFrame('iphone');
    await expect.poll(() => plan.textContent()).toMatch(/1 empty frame/i);
    await pg.clickFrame('square', true);
    await pg.clickFrame('banner', true);
    await expect.poll(() => plan.textContent()).toMatch(/3 empty frames/i);
    const snap = await pg.snapshot();
    expect(snap.selection).toEqual([pg.scene.iphone, pg.scene.square, pg.scene.banner]);
    expect(await pg.page.locator('.selection-outline').count()).toBe(3);
    // a group and a text layer are skipped, with the reason in the panel
    await pg.page.locator(`.node[data-node-id]`, { hasText: 'Text layers are skipped' }).click({ modifiers: ['Shift'] });
    await expect.poll(() => pg.panel.getByText(/1 layer skipped/i).count()).toBe(1);
    await pg.page.locator('#canvas').click({ position: { x: 5, y: 5 } });
    await expect.poll(() => plan.textContent()).toBe(nothing);
    expect((await pg.snapshot()).selection).toEqual([]);
    await pg.close();
  });

  it('switches the panel between light and dark live, without reloading the plugin', async () => {
    const pg = await h.open();
    const bg = () => pg.panel.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    const htmlClass = () => pg.panel.locator('html').evaluate((el) => el.className);
    expect(await bg()).toBe('rgb(255, 255, 255)');
    expect(await htmlClass()).toContain('figma-light');
    await pg.clickFrame('desktop');
    await pg.panel.locator('#prompt').fill('A reading nook by a rainy window, soft window light');
    await pg.page.screenshot({ path: screenshotPath('light') });
    await pg.page.locator('#plugin-window').screenshot({ path: screenshotPath('panel-light') });
    await pg.page.getByRole('button', { name: 'Dark' }).click();
    await expect.poll(bg).toBe('rgb(44, 44, 44)');
    expect(await htmlClass()).toContain('figma-dark');
    // same panel document: what was typed is still there
    expect(await pg.panel.locator('#prompt').inputValue()).toBe('A reading nook by a rainy window, soft window light');
    expect(await pg.page.evaluate(() => window.__playground!.fake.posted.filter((m) => (m as { type: string }).type === 'init').length)).toBe(1);
    await pg.page.screenshot({ path: screenshotPath('dark') });
    await pg.page.locator('#plugin-window').screenshot({ path: screenshotPath('panel-dark') });
    expect(pg.errors).toEqual([]);
    await pg.close();
  });
});
