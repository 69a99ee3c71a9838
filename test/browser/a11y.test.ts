// The accessibility check: axe-core (the standard engine, not hand-written contrast maths) on the
// built panel in the playground, on each tab, in Figma's light and dark themes. WCAG 2 A and AA
// rules, color-contrast and label among them; zero violations.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { describe, expect, it } from 'vitest';
import { screenshotPath, useHarness, waitForSnapshot, type Playground } from './harness';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const setup = useHarness({ fake: { latencyMs: 20 } });

async function panelFrame(p: Playground): Promise<Frame> {
  const frame = await (await p.page.locator('iframe.plugin-iframe').elementHandle())?.contentFrame();
  if (!frame) throw new Error('the panel iframe has no frame');
  return frame;
}

/** axe's WCAG 2 A/AA rules on the panel document; each violation as "rule: target — summary". */
async function violations(p: Playground): Promise<string[]> {
  const frame = await panelFrame(p);
  // evaluated as an expression through the devtools protocol, so the panel's CSP does not apply
  await frame.evaluate(`${AXE_SOURCE};undefined`);
  const results = (await frame.evaluate(() =>
    (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<unknown> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }),
  )) as AxeResults;
  const found = results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`));
  // the rules we rely on ran at all (a test that cannot fail is a defect)
  const ran = [...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id);
  expect(ran).toEqual(expect.arrayContaining(['color-contrast', 'label']));
  return found;
}

describe('accessibility (axe-core)', () => {
  for (const theme of ['light', 'dark'] as const) {
    it(`has no WCAG AA violations on Create, History and Settings in the ${theme} theme`, async () => {
      const pg = await setup.open({ theme });
      // Something on every tab: a result card and its History entry, the plan's notes, prompt chips.
      await pg.clickFrame('square');
      await pg.run('A bowl of ramen, overhead, studio softbox', 'Low');
      await waitForSnapshot(pg, (s) => s.undoSteps === 1);
      // a failed card (danger text) …
      setup.harness.fake.setFault({ kind: 'moderation_blocked' }, 1);
      await pg.clickFrame('iphone');
      await pg.run('A paper crane on a desk, soft light', 'Low');
      await pg.panel.locator('article.job-failed').waitFor({ timeout: 10_000 });
      // … the plan's notes, and a size error beside a blocked Run (the field keeps focus: no snap yet)
      await pg.clickFrame('banner');
      await expect.poll(() => pg.panel.locator('#plan-line').textContent()).toMatch(/empty frame/);
      await pg.panel.getByRole('radio', { name: 'Custom' }).click();
      await pg.panel.getByLabel('Height in pixels').fill('1500');
      await pg.panel.getByText(/divisible by 16/).waitFor();
      const iframe = pg.page.locator('iframe.plugin-iframe');

      const tabs = [
        { name: 'Create', ready: pg.panel.locator('article.job').first() },
        { name: /^History/, ready: pg.panel.locator('.history-item').first() },
        { name: 'Settings', ready: pg.panel.getByRole('button', { name: /Save/ }).first() },
      ];
      const report: Record<string, string[]> = {};
      for (const tab of tabs) {
        // Create is open already: clicking its tab would take focus from the size field
        if (tab.name !== 'Create') await pg.panel.getByRole('tab', { name: tab.name }).click();
        await tab.ready.waitFor();
        const label = typeof tab.name === 'string' ? tab.name : 'History';
        await iframe.screenshot({ path: screenshotPath(`a11y-${label.toLowerCase()}-${theme}`) });
        report[label] = await violations(pg);
      }
      expect(report).toEqual({ Create: [], History: [], Settings: [] });
    });
  }
});

describe('accessibility of the edit tools (issue 15)', () => {
  it('has no WCAG AA violations on Edit image — each tool, Upscale’s tiers, an area and a kept original — in both themes', async () => {
    const pg = await setup.open();
    await pg.clickFrame('square');
    await pg.run('A bowl of ramen, overhead, studio softbox', 'Low');
    await waitForSnapshot(pg, (s) => s.undoSteps === 1);
    const tools = pg.panel.getByRole('region', { name: 'Edit image' });
    await pg.page.evaluate((id) => window.__playground!.resize(id, 512, 288), pg.scene.square!);
    // Upscale once, so a kept original (and Discard original) shows too.
    await tools.getByRole('radio', { name: /^Upscale,/ }).click();
    await tools.getByRole('button', { name: /^Upscale · ≈/ }).click();
    await waitForSnapshot(pg, (s) => s.undoSteps === 2);
    await tools.getByRole('button', { name: 'Discard original' }).waitFor();
    const report: Record<string, string[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      await pg.page.evaluate((t) => window.__playground!.setTheme(t), theme);
      for (const tool of ['Expand', 'Select area', 'Cut out', 'Upscale']) {
        await tools.getByRole('radio', { name: new RegExp(`^${tool},`) }).click();
        report[`${tool} (${theme})`] = await violations(pg);
      }
      await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(`a11y-edit-tools-${theme}`) });
    }
    expect(Object.values(report).flat()).toEqual([]);
  });
});

describe('accessibility of overnight runs (issue 16)', () => {
  it('has no WCAG AA violations on the When choice and the Scheduled list, in both themes', async () => {
    const report: Record<string, string[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      const pg = await setup.open({ theme });
      await pg.clickFrame('square');
      await pg.clickFrame('banner', true);
      await pg.panel.locator('#prompt').fill('A paper crane on a desk, soft light');
      await pg.panel.getByRole('radio', { name: /^Overnight, about/ }).click();
      await pg.panel.getByRole('button', { name: 'Run', exact: true }).click();
      await pg.panel.locator('.scheduled-batch').waitFor({ timeout: 10_000 });
      await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(`a11y-overnight-${theme}`) });
      report[theme] = await violations(pg);
      await pg.close();
    }
    expect(report).toEqual({ light: [], dark: [] });
  });
});

describe('accessibility of the mockup helpers', () => {
  it('has no WCAG AA violations on "empty frames inside" and the {text} suggestion, in both themes', async () => {
    const report: Record<string, string[]> = {};
    for (const theme of ['light', 'dark'] as const) {
      const pg = await setup.open({ theme });
      const cards = ['productCard1', 'productCard2', 'productCard3', 'productCard4'].map((role) => pg.scene[role]!);
      await pg.page.evaluate((list) => window.__playground!.select(list), cards);
      await pg.panel.locator('#prompt').fill('Studio product photo, 50mm, softbox');
      await pg.panel.locator('#empty-inside').waitFor();
      await pg.panel.locator('[data-hint="text-field"]').waitFor();
      await pg.page.locator('iframe.plugin-iframe').screenshot({ path: screenshotPath(`a11y-mockup-helpers-${theme}`) });
      report[theme] = await violations(pg);
      await pg.close();
    }
    expect(report).toEqual({ light: [], dark: [] });
  });
});
