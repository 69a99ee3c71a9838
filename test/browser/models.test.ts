// The model family in the playground: the picker lists what the backend allows (GET /v1/models),
// a 2.5 model's xhigh is estimated, the run reaches OpenAI with that model and quality, and the
// placed result's provenance names the model billed. A transparent run keeps its alpha on the canvas.
import { describe, expect, it } from 'vitest';
import { pngHasAlpha } from '../../common/image-header';
import { pngAlpha } from '../fake-figma/png-alpha';
import { imageFills, screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

const h = useHarness({ fake: { latencyMs: 20 } });
let pg: Playground | undefined;

const imageRequests = () => h.harness.fake.requests.filter((r) => r.route === 'generations' || r.route === 'edits');
const provenanceOf = (pluginData: Record<string, string>) => JSON.parse(pluginData.framefill ?? '{}') as { model?: string; tier?: string };

describe('the model picker', () => {
  it('picks 2.5 Flare at X-High, shows its estimate, and the placed result names the model', async () => {
    pg = await h.open();
    const models = pg.panel.getByRole('radiogroup', { name: 'Model' });
    await expect.poll(() => models.getByRole('radio').count(), { timeout: 10_000 }).toBe(3);
    await pg.pickModel('2.5 Flare');
    const xhigh = pg.panel.getByRole('radio', { name: /^X-High,/ });
    await xhigh.click();
    expect(await xhigh.getAttribute('aria-checked')).toBe('true');
    // no published price for xhigh: an estimate, and the plan's total uses it
    expect(await xhigh.textContent()).toMatch(/^X-High≤ \$\d+\.\d\d est\.$/);
    expect(await pg.panel.locator('#plan-line').textContent()).toMatch(/^New image at the viewport centre · 1 image · ≈ \$0\.[1-9]\d$/);

    // the Create tab at Figma's 360×640, as the designer sees it
    await pg.panel.locator('#prompt').fill('A paper lantern festival over a river at night, wide shot, film photography');
    // the line under Quality says where the figure comes from; scrolled into view with the picker
    const note = pg.panel.locator('.price-note');
    expect(await note.textContent()).toMatch(/^X-High: OpenAI publishes no price; \$\d+\.\d\d is this backend's ceiling\./);
    await note.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath('model-picker-360') });

    await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
    const placed = await waitForSnapshot(pg, (s) => s.nodes.find((n) => s.created.includes(n.id) && n.pluginData.framefill));
    expect(provenanceOf(placed.pluginData)).toMatchObject({ model: 'gpt-image-2.5-flare', tier: 'xhigh' });
    expect(imageRequests().map((r) => [r.fields.model, r.fields.quality])).toEqual([['gpt-image-2.5-flare', 'xhigh']]);
    expect(pg.errors).toEqual([]);
  });

  it('places a transparent gpt-image-2 result as a PNG that keeps its alpha', async () => {
    pg = await h.open();
    await pg.clickFrame('square');
    // as a designer does: a click on the switch's words
    await pg.panel.getByText('Transparent background', { exact: true }).click();
    expect(await pg.panel.getByRole('switch', { name: /Transparent background/ }).isChecked()).toBe(true);
    await pg.run('A ceramic teapot, product cut-out, studio softbox', 'Low');
    const done = await waitForSnapshot(pg, (s) => s.undoSteps === 1 && s);
    const [request] = imageRequests();
    expect(request?.fields).toMatchObject({ model: 'gpt-image-2', background: 'transparent', output_format: 'png' });
    const square = done.nodes.find((n) => n.id === pg!.scene.square)!;
    const [fill] = imageFills(square);
    const bytes = await pg.imageBytes(fill!.imageHash);
    expect(pngHasAlpha(bytes)).toBe(true);
    expect(pngAlpha(bytes).alphaAt(0, 0)).toBe(0); // the clear margin stays clear
    expect(pg.errors).toEqual([]);
  });
});
