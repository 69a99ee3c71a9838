// Scenario 7: the designer closes Framefill while an image is being made, and runs it again
// later. The backend finished the paid call on its own; the reopened panel fetches the result by
// its request id and offers it for placing — one upstream call, one image billed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageSize } from '../support/images';
import { imageFills, nodeIn, screenshotPath, startHarness, TEST_TOKEN, waitForSnapshot, type Harness, type Playground } from './harness';

const LATENCY_MS = 3000;
const PENDING_KEY = 'framefill.v1.pending';
let h: Harness;
let pg: Playground | undefined;

beforeAll(async () => {
  h = await startHarness({ fake: { latencyMs: LATENCY_MS } });
});
afterAll(async () => {
  await pg?.close();
  await h?.close();
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const imageRequests = () => h.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');

describe('a panel closed mid-run', () => {
  it('is recovered when Framefill runs again: the result is placed, paid once', async () => {
    pg = await h.open();
    const square = pg.scene.square!;
    await pg.clickFrame('square');
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/empty frame/i);
    await pg.run('A bowl of ramen, overhead, studio softbox', 'Low');
    await expect.poll(() => imageRequests().length, { timeout: 10_000 }).toBe(1);

    // The run is recorded in clientStorage before its request goes out.
    const pending = (await pg.page.evaluate((key) => window.__playground!.fake.clientStorage.getAsync(key), PENDING_KEY)) as { requestId: string; targetId: string; size: string }[];
    expect(pending).toHaveLength(1);
    const [run] = pending;
    expect(run).toMatchObject({ targetId: square, size: String(imageRequests()[0]!.fields.size) });

    await pg.closePlugin();
    expect((await pg.snapshot()).panelOpen).toBe(false);
    await expect.poll(() => pg!.page.getByText('Framefill is closed').isVisible()).toBe(true);
    await pg.page.screenshot({ path: screenshotPath('closed-mid-run') });

    // The backend goes on without the panel; the run is still running when it closes.
    expect((await fetch(`${h.backend.url}/v1/results/${run!.requestId}`, { headers: auth })).status).toBe(202);
    await expect
      .poll(async () => (await fetch(`${h.backend.url}/v1/results/${run!.requestId}`, { headers: auth })).status, { timeout: LATENCY_MS + 5_000, interval: 250 })
      .toBe(200);
    expect(imageRequests()[0]!.aborted).toBe(false);
    expect((await pg.snapshot()).undoSteps).toBe(0); // nothing placed while closed

    await pg.reopenPlugin();
    const notice = pg.panel.getByText('Recovered 1 result from a run that was still going when the panel closed.');
    await notice.waitFor({ timeout: 10_000 });
    const card = pg.panel.locator('article.job');
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator('.job-status').textContent()).toBe('Recovered — ready to place.');
    expect(await card.locator('.job-title').textContent()).toBe('Square 512×512');
    expect(await card.locator('.job-meta').textContent()).toMatch(new RegExp(`^${run!.size.replace('x', '×')} · \\$\\d+\\.\\d+`));
    await card.locator('.result img').evaluate((img) => (img as HTMLImageElement).decode());
    // On opening, the recovered result and its Place button are brought into view, not left
    // below the long form or under the footer.
    const inView = () =>
      card.getByRole('button', { name: 'Place', exact: true }).evaluate((button) => {
        const box = button.getBoundingClientRect();
        const scroller = button.closest('.scroll')!.getBoundingClientRect();
        const footer = document.querySelector('.footer')!.getBoundingClientRect();
        return box.top >= scroller.top && box.bottom <= Math.min(scroller.bottom, footer.top);
      });
    await expect.poll(inView).toBe(true);
    await pg.page.screenshot({ path: screenshotPath('recovered') });

    await card.getByRole('button', { name: 'Place', exact: true }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 1 && s);
    const fills = imageFills(nodeIn(done, square));
    expect(fills).toHaveLength(1);
    const size = imageSize(await pg.imageBytes(fills[0]!.imageHash));
    expect(`${size.width}x${size.height}`).toBe(run!.size); // the size asked for the square frame
    const provenance = JSON.parse(nodeIn(done, square).pluginData.framefill ?? '{}') as { requestId?: string };
    expect(provenance.requestId).toBe(run!.requestId);
    await expect.poll(() => card.locator('.job-status').textContent()).toBe('Filled Square 512×512.');

    // Paid once: one upstream call, one image on the bill, and nothing left pending.
    expect(imageRequests()).toHaveLength(1);
    const usage = (await (await fetch(`${h.backend.url}/v1/usage`, { headers: auth })).json()) as { images: number; requests: number };
    expect(usage).toMatchObject({ images: 1, requests: 1 });
    await expect.poll(() => pg!.page.evaluate((key) => window.__playground!.fake.clientStorage.getAsync(key), PENDING_KEY)).toEqual([]);
    expect(pg.errors).toEqual([]);
  });
});
