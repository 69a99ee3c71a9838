// The panel at Figma's size (360×640) under load: a long selection's notes never push Run off
// screen, custom sizes snap instead of being reset, a small frame's larger image is explained,
// banners can be dismissed. Screenshots in test-results/ (playground-layout-*.png).
import { describe, expect, it } from 'vitest';
import { screenshotPath, TEST_TOKEN, useHarness, type Playground } from './harness';

const setup = useHarness({ fake: { latencyMs: 20 } });
const PANEL = { width: 360, height: 640 };

/** Adds 20 very wide frames (three kinds) to the page and selects them all, with a group and a text. */
async function selectWideFrames(pg: Playground): Promise<void> {
  await pg.page.evaluate(() => {
    const p = window.__playground!;
    const sizes = [
      ...Array.from({ length: 10 }, () => ({ width: 2400, height: 200 })), // 3:1 crop only
      ...Array.from({ length: 5 }, () => ({ width: 900, height: 100 })), // also under the minimum pixels
      ...Array.from({ length: 5 }, () => ({ width: 9000, height: 600 })), // also capped, experimental
    ];
    const frames = sizes.map((s, i) => p.fake.frame({ name: `Strip ${i + 1}`, x: i * 50, y: 4000 + i * 700, ...s }));
    // and two layers that are skipped, with their reasons
    p.select([...frames.map((f) => f.id), p.scene.group!, p.scene.caption!]);
  });
}

/** The Run button lies wholly inside the 360×640 panel. */
async function runIsOnScreen(pg: Playground): Promise<boolean> {
  const frame = await pg.page.locator('iframe.plugin-iframe').boundingBox();
  const run = await pg.panel.getByRole('button', { name: 'Run', exact: true }).boundingBox();
  if (!frame || !run) return false;
  expect(frame).toMatchObject(PANEL);
  return run.y >= frame.y && run.y + run.height <= frame.y + frame.height && run.x + run.width <= frame.x + frame.width;
}

describe('the panel at 360×640', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`keeps Run on screen with 20 very wide layers selected, notes grouped behind Show all (${theme})`, async () => {
      const pg = await setup.open({ theme });
      await selectWideFrames(pg);
      await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(/^Fill 20 empty frames/);
      const notes = pg.panel.locator('#plan-notes li');
      expect(await notes.allTextContents()).toEqual([
        '20 layers are wider than 3:1 — each gets a 3:1 image that its fill crops.',
        '5 small layers are made larger than they are: gpt-image-2 makes at least 655,360 pixels.',
      ]);
      expect(await runIsOnScreen(pg)).toBe(true);
      await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(`layout-wide-selection-${theme}`) });

      const toggle = pg.panel.getByRole('button', { name: 'Show all 4 notes' });
      await toggle.click();
      await expect.poll(() => notes.count()).toBe(4);
      expect(await notes.nth(2).textContent()).toMatch(/^5 layers are capped below their own size/);
      expect(await pg.panel.getByRole('button', { name: 'Show fewer notes' }).getAttribute('aria-expanded')).toBe('true');
      await pg.panel.getByText('2 layers skipped').click(); // everything open at once
      expect(await runIsOnScreen(pg)).toBe(true);
      await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(`layout-wide-selection-all-${theme}`) });
      expect(pg.errors).toEqual([]);
    });
  }

  it('snaps a custom width of 10 to the nearest valid size with one note, and says a size error once', async () => {
    const pg = await setup.open();
    await pg.panel.getByRole('radio', { name: 'Custom' }).click();
    const width = pg.panel.getByLabel('Width in pixels');
    const height = pg.panel.getByLabel('Height in pixels');
    await width.fill('10');
    await width.press('Tab');
    await expect.poll(() => width.inputValue()).toBe('640');
    expect(await height.inputValue()).toBe('1024');
    await expect.poll(() => pg.panel.locator('#size-note').textContent()).toBe('10×1024 → 640×1024: gpt-image-2 needs at least 655,360 pixels.');
    expect(await pg.panel.getByText(/gpt-image-2 needs/).count()).toBe(1);
    await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(/1 image/);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('layout-custom-snapped') });

    // while a wrong number is being typed, its error shows once (beside Run), then snaps on leaving
    await height.fill('1500');
    await expect.poll(() => pg.panel.getByText(/divisible by 16/).count()).toBe(1);
    expect(await pg.panel.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('layout-custom-error') });
    await pg.panel.locator('#prompt').fill('A lighthouse at dusk');
    await expect.poll(() => height.inputValue()).toBe('1504'); // the prompt took focus: the height snapped
    expect(await pg.panel.locator('#size-note').textContent()).toBe('640×1500 → 640×1504: gpt-image-2 needs sides in steps of 16 px.');
    expect(await pg.panel.getByText(/divisible by 16/).count()).toBe(0);
    expect(await pg.panel.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(false);
  });

  it("explains in one line why a small frame's image is larger", async () => {
    const pg = await setup.open();
    await pg.clickFrame('square');
    await expect.poll(() => pg.panel.locator('#plan-notes').textContent()).toBe('Made at 816×816, larger than this 512×512 layer: gpt-image-2 makes at least 655,360 pixels.');
  });

  it('lets a banner like "Recovered 1 result" be dismissed', async () => {
    const pg = await setup.open();
    const { fake, backend } = setup.harness;
    fake.setLatency(2000);
    await pg.clickFrame('square');
    await pg.run('A bowl of ramen, overhead, studio softbox', 'Low');
    await expect.poll(() => fake.requests.filter((r) => r.route === 'generations').length, { timeout: 10_000 }).toBe(1);
    const pending = (await pg.page.evaluate(() => window.__playground!.fake.clientStorage.getAsync('framefill.v1.pending'))) as { requestId: string }[];
    await pg.closePlugin();
    // the backend finishes the paid run on its own; then Framefill runs again
    const result = () => fetch(`${backend.url}/v1/results/${pending[0]!.requestId}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } }).then((r) => r.status);
    await expect.poll(result, { timeout: 10_000, interval: 250 }).toBe(200);
    await pg.reopenPlugin();
    const banner = pg.panel.locator('.notice', { hasText: /^Recovered 1 result/ });
    await banner.waitFor({ timeout: 10_000 });
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('layout-banner') });
    await banner.getByRole('button', { name: 'Dismiss notice' }).click();
    await expect.poll(() => banner.count()).toBe(0);
    fake.setLatency(20);
  });
});
