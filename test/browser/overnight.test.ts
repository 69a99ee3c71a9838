// Issue 16: six frames scheduled overnight go to the backend as ONE batch at half price; the
// plugin is closed while the fake Batch API finishes and the backend collects; the next open
// fills the six frames (one undo step each) from the stored results and History shows the batch
// with its cost; the open after that places nothing and asks upstream for nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../backend/contract';
import { formatUsd } from '../../ui/lib/format';
import { imageFills, nodeIn, screenshotPath, startHarness, TEST_TOKEN, waitForSnapshot, type Harness, type Playground } from './harness';

const ROLES = ['productPhoto1', 'productPhoto2', 'productPhoto3', 'productPhoto4', 'square', 'banner'];
const SCHEDULED_KEY = 'framefill.overnight';
const UNDO_REFUSED = "An overnight run can't be undone — it's already scheduled; cancel it from Scheduled";
const BATCH_MAX_ITEMS = 25;
let h: Harness;
let pg: Playground | undefined;

beforeAll(async () => {
  // Batches of at most 25 items, so a big Run shows how it is split.
  h = await startHarness({ fake: { batchLatencyMs: 1500 }, batchPollMs: 200, env: { FRAMEFILL_BATCH_MAX_ITEMS: String(BATCH_MAX_ITEMS) } });
});
afterEach(async () => {
  await pg?.close();
  pg = undefined;
  h.fake.reset();
  h.fake.batches.setLatency(1500);
});
afterAll(async () => {
  await h?.close();
});

const auth = { authorization: `Bearer ${TEST_TOKEN}` };
const imageRequests = () => h.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const upstreamBatches = () => h.fake.requests.filter((r) => r.route === '/v1/batches' && r.method === 'POST');
const backendBatch = async (id: string) => (await (await fetch(`${h.backend.url}/v1/framefill/batches/${id}`, { headers: auth })).json()) as Batch;
const fileBatches = () => pg!.page.evaluate((key) => window.__playground!.fake.figma.root.getPluginData(key), SCHEDULED_KEY);
/** Selects the frames, writes the prompt and runs it overnight; resolves with the batch id once it is scheduled. */
async function runOvernight(ids: string[], prompt: string): Promise<string> {
  await pg!.page.evaluate((sel) => window.__playground!.select(sel), ids);
  await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(new RegExp(`^Fill ${ids.length} empty frames`));
  await pg!.panel.locator('#prompt').fill(prompt);
  await pg!.panel.getByRole('radio', { name: /^Overnight, about/ }).click();
  await pg!.panel.getByRole('button', { name: 'Run', exact: true }).click();
  await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 15_000 }).toMatch(/^Scheduled/);
  return (JSON.parse(await fileBatches()) as { id: string }[])[0]!.id;
}
const filled = (s: Awaited<ReturnType<Playground['snapshot']>>, ids: string[]) => ids.filter((id) => imageFills(nodeIn(s, id)).length > 0);
/** The panel as the user sees it: the plugin window at 360×640. */
const panelShot = (name: string) => pg!.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });

describe('an overnight run', () => {
  it('goes as one half-price batch, lands in its six frames on the next open, once', async () => {
    pg = await h.open();
    const ids = ROLES.map((role) => pg!.scene[role]!);
    // The photo frames sit inside their cards (no canvas label): selected as a marquee would.
    await pg.page.evaluate((sel) => window.__playground!.select(sel), ids);
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/^Fill 6 empty frames · 6 images · ≈ \$/);
    await pg.panel.locator('#prompt').fill('A ceramic mug on oak, soft window light, 50mm');
    await pg.panel.getByRole('radio', { name: /^Medium,/ }).click();

    // Both totals are shown; Overnight is half of Now without the stream previews Now pays for
    // (two a Medium image, $0.003 each): a batch doesn't stream.
    const now = pg.panel.getByRole('radio', { name: /^Now, about/ });
    const overnight = pg.panel.getByRole('radio', { name: /^Overnight, about/ });
    const usd = async (radio: typeof now) => Number(/\$(\d+\.\d+)/.exec((await radio.getAttribute('aria-label')) ?? '')?.[1]);
    const nowUsd = await usd(now);
    expect(await usd(overnight)).toBeCloseTo((nowUsd - 6 * 0.006) / 2, 2);
    await overnight.click();
    await expect.poll(() => pg!.panel.locator('#when-note').textContent()).toBe('Ready within 24 h — placed when this file is next opened.');
    await panelShot('overnight-when');

    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const status = pg.panel.locator('.scheduled-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/^Scheduled 6 images overnight · \$\d+\.\d+ reserved \(half price\)/);

    // ONE batch upstream with six items; no image request now or later.
    expect(upstreamBatches()).toHaveLength(1);
    expect(imageRequests()).toHaveLength(0);
    const recorded = JSON.parse(await pg.page.evaluate((key) => window.__playground!.fake.figma.root.getPluginData(key), SCHEDULED_KEY)) as { id: string; items: { targetId: string }[] }[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]!.items.map((i) => i.targetId).sort()).toEqual([...ids].sort());
    const batchId = recorded[0]!.id;
    const submitted = await backendBatch(batchId);
    expect(submitted).toMatchObject({ discount: 0.5, progress: { total: 6 } });
    expect(submitted.items.every((i) => i.kind === 'generation')).toBe(true);
    const row = pg.panel.locator('.scheduled-batch');
    await expect.poll(() => row.locator('.job-title').textContent()).toBe('Overnight · 6 images');
    await expect.poll(() => row.locator('.job-meta').nth(1).textContent()).toMatch(/reserved \(half price; now ≈ \$/);
    await panelShot('overnight-scheduled');
    // The same frames can't be scheduled twice (paid twice, one image replacing the other): Run says why.
    const run = pg.panel.getByRole('button', { name: 'Run', exact: true });
    await expect.poll(() => pg!.panel.locator('#run-blocked').textContent()).toBe('These 6 frames already have an overnight image on the way — cancel that run under Scheduled to schedule them again.');
    expect(await run.isDisabled()).toBe(true);
    // Now may still run them, told that the overnight image will replace what it makes.
    await now.click();
    await expect.poll(() => pg!.panel.locator('#when-note').textContent()).toBe('These 6 frames already have an overnight image on the way: when it lands, it replaces what this run makes. Cancel it under Scheduled to keep this one.');
    expect(await run.isEnabled()).toBe(true);
    await panelShot('overnight-on-the-way');

    // Closed while the Batch API works and the backend collects.
    await pg.closePlugin();
    await expect.poll(async () => (await backendBatch(batchId)).status, { timeout: 20_000, interval: 250 }).toBe('completed');
    const settled = await backendBatch(batchId);
    expect(settled.items.every((i) => i.status === 'succeeded')).toBe(true);
    expect(settled.cost_usd).toBeGreaterThan(0);
    expect(filled(await pg.snapshot(), ids)).toEqual([]); // nothing placed while closed
    const stepsBefore = (await pg.snapshot()).undoSteps;

    await pg.reopenPlugin();
    await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 20_000 }).toBe('6 overnight images placed');
    const done = await waitForSnapshot(pg, (s) => filled(s, ids).length === 6 && s);
    expect(done.undoSteps).toBe(stepsBefore + 6); // one undo step each
    await expect.poll(async () => (await pg!.snapshot()).notifications.map((n) => n.message)).toContain('6 overnight images placed');
    for (const id of ids) expect(JSON.parse(nodeIn(done, id).pluginData.framefill ?? '{}')).toMatchObject({ prompt: 'A ceramic mug on oak, soft window light, 50mm', tier: 'medium' });
    // The file's record is gone with its last item; the Scheduled list is empty.
    expect(await pg.page.evaluate((key) => window.__playground!.fake.figma.root.getPluginData(key), SCHEDULED_KEY)).toBe('');
    expect(await pg.panel.locator('.scheduled-batch').count()).toBe(0);
    await panelShot('overnight-landed');
    // Undo takes back exactly one frame's image.
    await pg.page.evaluate(() => window.__playground!.undo());
    expect(filled(await pg.snapshot(), ids)).toHaveLength(5);

    // History: one entry for the batch, its six images and what the backend charged.
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    const entries = pg.panel.locator('.history-item');
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().locator('.muted').first().textContent()).toMatch(new RegExp(`^Overnight · Medium · .+ · 6 images · \\${formatUsd(settled.cost_usd)} · `));
    await panelShot('overnight-history');

    // Opened again: nothing placed again (not even the undone one), nothing asked upstream.
    const before = await pg.snapshot();
    const upstreamBefore = h.fake.requests.length;
    await pg.closePlugin();
    await pg.reopenPlugin();
    await new Promise((r) => setTimeout(r, 1500));
    const after = await pg.snapshot();
    expect(after.undoSteps).toBe(before.undoSteps);
    expect(filled(after, ids)).toHaveLength(5);
    expect(h.fake.requests.length).toBe(upstreamBefore);
    expect(imageRequests()).toHaveLength(0);
    expect(upstreamBatches()).toHaveLength(1);
    expect(pg.errors).toEqual([]);
  });

  it('reports an item that expired, places the rest (a deleted frame\'s on a new layer where it was), and charges only those', async () => {
    pg = await h.open();
    h.fake.batches.setLatency(60_000); // finishes only when the test says so
    const ids = ['square', 'banner', 'productPhoto1'].map((role) => pg!.scene[role]!);
    const batchId = await runOvernight(ids, 'A linen towel, folded, studio light');
    await pg.closePlugin();
    // Meanwhile someone deletes the banner: its image gets a new layer where the banner was.
    const bannerBox = nodeIn(await pg.snapshot(), ids[1]!).box;
    await pg.page.evaluate((id) => window.__playground!.remove(id), ids[1]!);
    h.fake.batches.expireNow(undefined, { done: 2 }); // the 24 h window ran out after two items
    await expect.poll(async () => (await backendBatch(batchId)).status, { timeout: 20_000, interval: 250 }).toBe('expired');
    const settled = await backendBatch(batchId);
    expect(settled.items.map((i) => i.status)).toEqual(['succeeded', 'succeeded', 'expired']);

    await pg.reopenPlugin();
    await expect
      .poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 20_000 })
      .toMatch(/^2 overnight images placed · 1 overnight image didn't come back \(.+\) — not charged$/);
    const done = await waitForSnapshot(pg, (s) => s.created.length === 1 && filled(s, [ids[0]!]).length === 1 && s);
    expect(filled(done, [ids[0]!, ids[2]!])).toEqual([ids[0]]); // the expired one stays empty
    const layer = nodeIn(done, done.created[0]!);
    expect(layer.box).toEqual(bannerBox);
    expect(imageFills(layer)).toHaveLength(1);
    await expect.poll(async () => (await pg!.snapshot()).notifications.map((n) => n.message)).toContainEqual(expect.stringMatching(/“Banner.*” was deleted.*placed the image where it was/));
    expect(await fileBatches()).toBe(''); // nothing left waiting in the file
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    await expect.poll(() => pg!.panel.locator('.history-item .muted').first().textContent()).toContain(`2 images · ${formatUsd(settled.cost_usd)}`);
    expect(pg.errors).toEqual([]);
  });

  it('is cancelled from the Scheduled list: upstream too, nothing held, nothing left in the file', async () => {
    pg = await h.open();
    h.fake.batches.setLatency(60_000);
    const ids = ['square', 'banner'].map((role) => pg!.scene[role]!);
    const batchId = await runOvernight(ids, 'An oak cutting board with herbs');
    expect((await backendBatch(batchId)).reserved_usd).toBeGreaterThan(0);
    const row = pg.panel.locator('.scheduled-batch');
    await row.getByRole('button', { name: 'Cancel the overnight run of 2 images' }).click();
    await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 10_000 }).toBe('Cancelled the overnight run.');
    expect(await row.count()).toBe(0);
    expect(h.fake.requests.filter((r) => r.method === 'POST' && /^\/v1\/batches\/[^/]+\/cancel$/.test(r.route))).toHaveLength(1);
    await expect.poll(async () => (await backendBatch(batchId)).status).toMatch(/^cancel/);
    expect(await backendBatch(batchId)).toMatchObject({ reserved_usd: 0, cost_usd: 0 });
    expect(await fileBatches()).toBe('');
    // The next open has nothing to place or report.
    await pg.closePlugin();
    await pg.reopenPlugin();
    await new Promise((r) => setTimeout(r, 1000));
    expect(filled(await pg.snapshot(), ids)).toEqual([]);
    expect(await pg.panel.locator('.scheduled').count()).toBe(0);
    expect(pg.errors).toEqual([]);
  });

  it('takes a 60-frame page in one Run, which Now refuses above 50: split into batches the deployment holds, all placed on the next open', async () => {
    pg = await h.open();
    const ids = await pg.page.evaluate(() => {
      const p = window.__playground!;
      const tiles = Array.from({ length: 60 }, (_, i) => p.fake.frame({ name: `Tile ${i + 1}`, x: (i % 10) * 420, y: 6000 + Math.floor(i / 10) * 320, width: 400, height: 300 }));
      p.select(tiles.map((t) => t.id));
      return tiles.map((t) => t.id);
    });
    await expect.poll(() => pg!.panel.locator('#plan-line').textContent()).toMatch(/^Fill 60 empty frames/);
    await pg.panel.locator('#prompt').fill('A glazed ceramic tile, top-down, soft daylight, studio photo');
    await pg.panel.getByRole('radio', { name: /^Low,/ }).click();
    const run = pg.panel.getByRole('button', { name: 'Run', exact: true });
    // Now: a run of 50 at most, and the way to do all of them is named.
    await pg.panel.getByRole('radio', { name: /^Now, about/ }).click();
    await expect.poll(() => pg!.panel.locator('#run-blocked').textContent()).toBe('Select at most 50 layers per run (60 are selected) — or run them Overnight, which takes up to 200.');
    expect(await run.isDisabled()).toBe(true);
    await panelShot('overnight-60-frames-now');
    await pg.panel.getByRole('radio', { name: /^Overnight, about/ }).click();
    await expect.poll(() => run.isEnabled()).toBe(true);
    await panelShot('overnight-60-frames');
    await run.click();
    await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 20_000 }).toMatch(/^Scheduled 60 images overnight in 3 batches · /);
    // Three batches upstream (25 + 25 + 10), one Run: one row in Scheduled.
    expect(upstreamBatches()).toHaveLength(3);
    const recorded = JSON.parse(await fileBatches()) as { id: string; items: { targetId: string }[] }[];
    expect(recorded.map((b) => b.items.length)).toEqual([25, 25, 10]);
    expect(recorded.flatMap((b) => b.items.map((i) => i.targetId))).toEqual(ids);
    await expect.poll(() => pg!.panel.locator('.scheduled-batch .job-title').textContent()).toBe('Overnight · 60 images');

    await pg.closePlugin();
    for (const { id } of recorded) await expect.poll(async () => (await backendBatch(id)).status, { timeout: 60_000, interval: 250 }).toBe('completed');
    const stepsBefore = (await pg.snapshot()).undoSteps;
    await pg.reopenPlugin();
    // (20–35 s alone; a busy machine takes longer)
    await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 120_000 }).toBe('60 overnight images placed');
    const done = await waitForSnapshot(pg, (s) => filled(s, ids).length === 60 && s);
    expect(done.undoSteps).toBe(stepsBefore + 60);
    expect(await fileBatches()).toBe('');
    expect(imageRequests()).toHaveLength(0);
    // History: one entry for the Run, not one per batch, counting all 60 and what all three cost.
    const charged = (await Promise.all(recorded.map(({ id }) => backendBatch(id)))).reduce((sum, b) => sum + b.cost_usd, 0);
    await pg.panel.getByRole('tab', { name: /^History/ }).click();
    await expect.poll(() => pg!.panel.locator('.history-item').count()).toBe(1);
    expect(await pg.panel.locator('.history-item .muted').first().textContent()).toMatch(new RegExp(`^Overnight · Low · .+ · 60 images \\(10 kept here\\) · \\${formatUsd(charged)} · `));
    expect(await pg.panel.locator('.history-item .history-images li').count()).toBe(10);
    await panelShot('overnight-60-frames-history');
    expect(pg.errors).toEqual([]);
  }, 240_000);

  it('survives an Undo right after scheduling: put back in the file, still in Scheduled, and its results land', async () => {
    pg = await h.open();
    h.fake.batches.setLatency(60_000);
    const ids = ['square', 'banner'].map((role) => pg!.scene[role]!);
    const batchId = await runOvernight(ids, 'A walnut bowl on slate');
    const told = async () => (await pg!.snapshot()).notifications.filter((n) => n.message === UNDO_REFUSED).length;

    // ⌘Z right after scheduling: the record leaves the file (the panel's minute-by-minute look
    // would put it back; unit-tested in plugin/overnight.test.ts), and the plugin is closed.
    await pg.page.evaluate(() => window.__playground!.undo());
    expect(await fileBatches()).toBe('');
    await pg.closePlugin();
    // The next open puts it back and says why, once.
    await pg.reopenPlugin();
    await expect.poll(() => fileBatches(), { timeout: 5_000 }).toContain(batchId);
    await expect.poll(told).toBe(1);
    await expect.poll(() => pg!.panel.locator('.scheduled-batch').count()).toBe(1);
    await pg.panel.locator('.scheduled-batch').scrollIntoViewIfNeeded();
    await panelShot('overnight-undo-refused');

    h.fake.batches.completeNow();
    await expect.poll(async () => (await backendBatch(batchId)).status, { timeout: 20_000, interval: 250 }).toBe('completed');
    await pg.closePlugin();
    await pg.reopenPlugin();
    await expect.poll(() => pg!.panel.locator('.scheduled-status').textContent(), { timeout: 20_000 }).toBe('2 overnight images placed');
    await waitForSnapshot(pg, (s) => filled(s, ids).length === 2 && s);
    expect(upstreamBatches()).toHaveLength(1);
    expect(pg.errors).toEqual([]);
  });
});
