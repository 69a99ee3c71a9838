import { describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import { createNodeFakeFigma, type FakeFigma } from '../test/fake-figma/node';
import { checkOutboundAfterEach, launch, sampleProvenance } from '../test/fake-figma/launch';
import { pngOf } from '../test/support/images';
import { promptSuggestions } from './quick-action';

let fake: FakeFigma;
checkOutboundAfterEach(() => fake); // every message sent must satisfy the panel's contract

const provenance = sampleProvenance({ prompt: 'Ceramic cup on linen, morning light', tier: 'high', size: '1536x1024', model: 'gpt-image-2.5-flare', transparent: true, costUsd: 0.165, requestId: 'r-1' });

describe('opening the panel', () => {
  it('shows the UI as Framefill, 360×640 with theme colours', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    expect(fake.shown).toEqual({ html: '<main>panel</main>', options: { width: 360, height: 640, themeColors: true, title: 'Framefill' } });
  });

  it('does not open before the run event (quick actions are still asking for parameters)', async () => {
    fake = createNodeFakeFigma();
    const { start } = await import('./main');
    start(fake.figma, { log: () => {} });
    await fake.suggest('prompt', 'lake');
    expect(fake.shown).toBeNull();
  });
});

describe('Regenerate button', () => {
  it('opens prefilled from the selected layer’s provenance and runs it again at once', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    fake.select(hero);
    const { init: first } = await launch(fake);
    expect(first.prefill).toBeNull();
    await fake.request({ type: 'place', rid: 'p', targetId: hero.id, images: [{ bytes: new Uint8Array(pngOf(32, 32)), width: 32, height: 32 }], mode: 'one', name: 'cup', provenance });
    fake.close();

    // The user later selects the layer and presses "Regenerate" in the properties panel.
    const again = createNodeFakeFigma();
    const node = again.frame({ name: 'Hero' });
    node.setPluginData('framefill', hero.getPluginData('framefill'));
    again.select(node);
    fake = again;
    const { init } = await launch(fake, { command: 'regenerate' });
    expect(init.prefill).toEqual({ prompt: provenance.prompt, tier: 'high', size: '1536x1024', model: 'gpt-image-2.5-flare', transparent: true, autoRun: true });
  });

  it('says so when the layer carries no usable provenance', async () => {
    fake = createNodeFakeFigma();
    const node = fake.frame();
    node.setPluginData('framefill', '{"prompt": 3}');
    fake.select(node);
    const { init } = await launch(fake, { command: 'regenerate' });
    expect(init.prefill).toBeNull();
    expect(fake.notifications.map((n) => n.message)).toEqual(['The selected layer has no Framefill prompt to regenerate from']);
  });
});

describe('Expand to frame and Upscale 2× buttons (issue 15)', () => {
  it('open the panel on that tool, prefilled from the provenance, and never run at once', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    hero.setPluginData('framefill', JSON.stringify(provenance));
    fake.select(hero);
    const { init } = await launch(fake, { command: 'expand' });
    expect(init.prefill).toEqual({ prompt: provenance.prompt, tier: 'high', size: '1536x1024', model: 'gpt-image-2.5-flare', tool: 'expand', autoRun: false });
    fake.close();
    fake.reopen();
    const { init: again } = await launch(fake, { command: 'upscale' });
    expect(again.prefill).toMatchObject({ tool: 'upscale', autoRun: false });
  });

  it('open on any image without a prompt, and say so when nothing selected shows one', async () => {
    fake = createNodeFakeFigma();
    const photo = fake.rectangle({ name: 'Photo', fills: [fake.imagePaint()] });
    fake.select(photo);
    const { init } = await launch(fake, { command: 'upscale' });
    expect(init.prefill).toEqual({ prompt: '', tool: 'upscale', autoRun: false });
    fake.close();
    fake.reopen();
    fake.select(fake.frame({ name: 'Empty' }));
    const { init: none } = await launch(fake, { command: 'expand' });
    expect(none.prefill).toBeNull();
    expect(fake.notifications.map((n) => n.message)).toEqual(['Select a layer with an image to use this on']);
  });
});

describe('quick action', () => {
  it('suggests tiers and prompts while typing, the typed prompt first', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    const tiers = await fake.suggest('tier', 'hi');
    expect(tiers.suggestions).toEqual([{ name: 'High — finest detail', data: 'high' }]);
    expect((await fake.suggest('tier', '')).suggestions).toHaveLength(3);
    const prompts = await fake.suggest('prompt', 'mountain lake');
    expect(prompts.suggestions[0]).toBe('mountain lake');
    expect(prompts.suggestions).toContain('Mountain lake at dawn, wide angle, mist over the water, muted film colours');
    expect(promptSuggestions('').length).toBeGreaterThan(3);
  });

  it('opens with the prompt and tier and runs at once — only on the first panel load', async () => {
    fake = createNodeFakeFigma();
    const { init } = await launch(fake, { parameters: { prompt: '  A red bicycle  ', tier: 'low' } });
    expect(init.prefill).toEqual({ prompt: 'A red bicycle', tier: 'low', autoRun: true });
    const reload = await fake.request({ type: 'ready' }, 'init');
    expect(reload.prefill).toBeNull();
  });

  it('leaves out a tier it does not know', async () => {
    fake = createNodeFakeFigma();
    const { init } = await launch(fake, { parameters: { prompt: 'A red bicycle', tier: 'ultra' } });
    expect(init.prefill).toEqual({ prompt: 'A red bicycle', autoRun: true });
  });
});

describe('the message channel', () => {
  it('rejects unknown or malformed messages with a logged reason and keeps working', async () => {
    fake = createNodeFakeFigma();
    const { logs } = await launch(fake);
    const before = fake.posted.length;
    for (const junk of [null, 'ready', 42, { type: 'explode' }, { type: 'place', rid: 'x' }, { type: 'export', rid: 'y', nodeIds: [], maxSide: 2048, maskFor: null }, { type: 'notify', message: 'x'.repeat(501) }]) {
      await fake.deliver(junk);
    }
    await fake.settle();
    expect(fake.posted.length).toBe(before); // nothing answered, nothing crashed
    expect(logs.filter((l) => l.startsWith('rejected message'))).toHaveLength(7);
    expect(logs).toContain('rejected message of type null: (root): Invalid input: expected object, received null');
    expect(logs.find((l) => l.startsWith('rejected message "explode"'))).toMatch(/Invalid discriminator value/);
    expect(logs.find((l) => l.startsWith('rejected message "export"'))).toMatch(/nodeIds: Too small/);
    expect(fake.notifications).toEqual([]);
    const init = await fake.request({ type: 'ready' }, 'init');
    expect(init.type).toBe('init');
  });

  it('shows panel notifications through figma.notify', async () => {
    fake = createNodeFakeFigma();
    await launch(fake);
    await fake.deliver({ type: 'notify', message: 'Budget reached', error: true });
    await fake.deliver({ type: 'notify', message: 'Done' });
    await fake.settle();
    expect(fake.notifications).toEqual([{ message: 'Budget reached', options: { error: true } }, { message: 'Done' }]);
  });

  it('answers a request that hits an unexpected error with `failed`', async () => {
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    await launch(fake);
    (fake.figma as { createRectangle: () => unknown }).createRectangle = () => {
      throw new Error('out of memory');
    };
    const reply = await fake.request({ type: 'place', rid: 'boom', targetId: null, images: [{ bytes: new Uint8Array(pngOf(8, 8)), width: 8, height: 8 }], mode: 'one', name: 'x', provenance });
    expect(reply).toEqual({ type: 'failed', rid: 'boom', message: "Couldn't place the image: out of memory" });
    expect(hero.removed).toBe(false);
  });
});

describe('the bundle', () => {
  it('dist/code.js runs when evaluated with a global figma, as in Figma', async () => {
    const result = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./main.ts', import.meta.url))],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2017',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    fake = createNodeFakeFigma();
    const hero = fake.frame({ name: 'Hero' });
    fake.select(hero);
    new Function('figma', '__html__', code)(fake.figma, '<html>ui</html>');
    fake.run();
    expect(fake.shown?.html).toBe('<html>ui</html>');
    const init = await fake.request({ type: 'ready' }, 'init');
    expect(init.selection.targets[0]).toMatchObject({ id: hero.id, empty: true });
  });
});
