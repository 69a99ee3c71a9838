// Lock the look (issue 14): with the switch on, the first frame of a batch goes alone and every
// other frame is sent as an edit carrying its image, so the grid shares one look; the estimate
// counts the extra input; another result can be picked as the look and the rest re-run with it,
// each replacing its image in place. The built panel against the real backend and the fake OpenAI.
import { describe, expect, it } from 'vitest';
import { imageSize } from '../support/images';
import { imageFills, nodeIn, screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

// Fresh images per request, as the real API: the look must be told from the other results.
const setup = useHarness({ fake: { latencyMs: 20, freshImages: true } });

const PROMPT = 'A ceramic mug on a walnut desk, morning window light, editorial photography';
const ROLES = ['iphone', 'desktop', 'square'] as const;
const panelShot = (p: Playground, name: string) => p.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(name) });
const planLine = (p: Playground) => p.panel.locator('#plan-line');
const usd = (text: string | null) => Number(/≈ \$(\d+\.\d+)$/.exec(text ?? '')?.[1] ?? NaN);
const imageRequests = () => setup.harness.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
/** the image now filling a frame: its hash, bytes and pixel size */
async function fillOf(p: Playground, role: string) {
  const [fill] = imageFills(nodeIn(await p.snapshot(), p.scene[role]!));
  const bytes = await p.imageBytes(fill!.imageHash);
  return { hash: fill!.imageHash, bytes: bytes.length, ...imageSize(bytes) };
}
/** the image files an edit carried, as the fake OpenAI received them */
const imagesOf = (r: ReturnType<typeof imageRequests>[number]) => r.files.filter((f) => f.field.startsWith('image'));

describe('Lock the look', () => {
  it('sends the first frame alone, then the others as edits carrying its image; a picked look re-runs the rest in place', async () => {
    const pg = await setup.open();
    await pg.clickFrame('iphone');
    await pg.clickFrame('desktop', true);
    await pg.clickFrame('square', true);
    await pg.panel.getByRole('radio', { name: /^Low,/ }).click();
    await expect.poll(() => planLine(pg).textContent()).toMatch(/^Fill 3 empty frames · 3 images · ≈ \$/);
    const plain = usd(await planLine(pg).textContent());

    // On: the plan says one look and its total grows by two input images (the 2nd and 3rd frames)
    await pg.panel.getByText('Lock the look', { exact: true }).click(); // the label, as a user clicks it
    expect(await pg.panel.getByRole('checkbox', { name: 'Lock the look' }).isChecked()).toBe(true);
    await expect.poll(() => planLine(pg).textContent()).toMatch(/^Fill 3 empty frames · 3 images · one look · ≈ \$/);
    const looked = usd(await planLine(pg).textContent());
    expect(looked).toBeCloseTo(plain + 2 * 0.012, 2);
    expect(await pg.panel.locator('#lock-look-note').textContent()).toMatch(/other 2 frames then carry its image as a reference \(\+ ≈ \$0\.02\)/);
    await pg.panel.locator('.lock-look').scrollIntoViewIfNeeded();
    await panelShot(pg, 'look-switch-on');

    await pg.panel.locator('#prompt').fill(PROMPT);
    setup.harness.fake.setLatency(1500); // the first frame takes its time: the others are seen waiting
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    // while the first frame is made, the other two say what they wait for, and nothing else is asked
    await expect.poll(() => pg.panel.getByText('Waiting for the first image, which sets the look…').count()).toBe(2);
    expect(imageRequests().map((r) => r.route)).toEqual(['generations']);
    await panelShot(pg, 'look-waiting');
    setup.harness.fake.setLatency(20);
    await waitForSnapshot(pg, (s) => s.undoSteps === 3);
    const requests = imageRequests();
    expect(requests.map((r) => r.route)).toEqual(['generations', 'edits', 'edits']);
    // the first frame's image, exactly as it fills the frame, goes with each of the other two
    const lead = await fillOf(pg, 'iphone');
    for (const edit of requests.slice(1)) {
      expect(edit.fields.prompt).toBe(PROMPT);
      expect(imagesOf(edit)).toHaveLength(1);
      expect(imagesOf(edit)[0]).toMatchObject({ format: 'png', bytes: lead.bytes, width: lead.width, height: lead.height });
    }
    const firstFills = await Promise.all(ROLES.map((role) => fillOf(pg, role)));
    expect(new Set(firstFills.map((f) => f.hash)).size).toBe(3);
    await pg.panel.getByRole('button', { name: 'Use as the look' }).first().scrollIntoViewIfNeeded();
    await panelShot(pg, 'look-results');

    // The desktop's result becomes the look: the other two are sent again with it
    const desktopCard = pg.panel.locator('article.job').filter({ hasText: 'Desktop 1440×1024' });
    await desktopCard.getByRole('button', { name: 'Use as the look' }).click();
    const rerun = desktopCard.getByRole('button', { name: 'Re-run the other 2 frames with this look' });
    await rerun.scrollIntoViewIfNeeded();
    await panelShot(pg, 'look-picked');
    const look = await fillOf(pg, 'desktop');
    await rerun.click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 5 && s);
    const again = imageRequests().slice(3);
    expect(again.map((r) => r.route)).toEqual(['edits', 'edits']);
    for (const edit of again) expect(imagesOf(edit)).toEqual([expect.objectContaining({ bytes: look.bytes, width: look.width, height: look.height })]);
    // each replaced its image in place: new images in the same frames, nothing stacked above
    expect(done.created).toEqual([]);
    for (const [i, role] of ROLES.entries()) {
      const now = await fillOf(pg, role);
      expect(imageFills(nodeIn(done, pg.scene[role]!))).toHaveLength(1);
      if (role === 'desktop') expect(now.hash).toBe(firstFills[i]!.hash);
      else expect(now.hash).not.toBe(firstFills[i]!.hash);
    }
    await panelShot(pg, 'look-rerun');
    expect(pg.errors).toEqual([]);
  });
});

describe('Lock the look with a pinned layer as the look', () => {
  it('sends every frame at once with the pinned layer, no waiting and no extra cost', async () => {
    const pg = await setup.open();
    await pg.clickFrame('card');
    await pg.panel.getByRole('button', { name: 'Pin selection' }).click();
    await pg.clickFrame('iphone');
    await pg.clickFrame('square', true);
    await pg.panel.getByRole('radio', { name: /^Low,/ }).click();
    await pg.panel.getByText('Lock the look', { exact: true }).click();
    await expect.poll(() => planLine(pg).textContent()).toMatch(/one look/);
    await pg.panel.getByRole('combobox', { name: 'Look from' }).selectOption({ label: 'Product card (pinned)' });
    await expect.poll(() => planLine(pg).textContent()).toMatch(/^Fill 2 empty frames · with 1 reference · 2 images · ≈ \$/);
    expect(await pg.panel.locator('#lock-look-note').textContent()).toBe('The pinned layer goes with every frame as the look.');
    await pg.panel.locator('.lock-look').scrollIntoViewIfNeeded();
    await panelShot(pg, 'look-pinned');

    await pg.panel.locator('#prompt').fill(PROMPT);
    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 2 && s);
    const requests = imageRequests();
    expect(requests.map((r) => r.route)).toEqual(['edits', 'edits']);
    const card = done.exports.filter((e) => e.nodeId === pg.scene.card);
    expect(card.length).toBeGreaterThan(0);
    for (const edit of requests) expect(imagesOf(edit)).toEqual([expect.objectContaining({ width: card[0]!.width, height: card[0]!.height })]);
    expect(pg.errors).toEqual([]);
  });
});
