import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../backend/pricing';
import type { FramefillImage, Provenance } from '../../plugin/messages';
import { finalizePlan, isAtFinal, rerunJob, rerunPlan } from './finalize-plan';

const image = (id: string, prompt: string, over: Partial<Provenance> = {}): FramefillImage => ({
  id,
  name: `Photo ${id}`,
  width: 300,
  height: 200,
  provenance: { prompt, tier: 'low', size: '1536x1024', model: 'gpt-image-2', costUsd: 0.006, createdAt: 1, referenceIds: [], requestId: `req-${id}`, ...over },
});
const high = { model: 'gpt-image-2', tier: 'high' as const };
/** one finalize edit at high, 1536×1024, with the draft as its one reference, streamed with two previews */
const finalUsd = (prompt: string) => estimateCost({ tier: 'high', width: 1536, height: 1024, count: 1, references: 1, promptChars: prompt.length, partialImages: 2 });

describe('Draft → Finalize plan', () => {
  const drafts = Array.from({ length: 12 }, (_, i) => image(`d${i}`, `Product ${i}, studio photo, 50mm, softbox`));

  it('finalizes each chosen draft as an edit with its own recorded prompt, size and the final tier and model', () => {
    const plan = finalizePlan([drafts[3]!, drafts[7]!], drafts, { ...high, model: 'gpt-image-2.5-sunburst' });
    expect(plan.jobs.map((j) => [j.image.id, j.kind, j.prompt, j.tier, j.model, j.size])).toEqual([
      ['d3', 'edit', 'Product 3, studio photo, 50mm, softbox', 'high', 'gpt-image-2.5-sunburst', '1536x1024'],
      ['d7', 'edit', 'Product 7, studio photo, 50mm, softbox', 'high', 'gpt-image-2.5-sunburst', '1536x1024'],
    ]);
  });

  it('says what finalizing only the chosen ones saves against finalizing all drafts on the page', () => {
    const chosen = drafts.slice(0, 3);
    const plan = finalizePlan(chosen, drafts, high);
    const each = finalUsd(drafts[0]!.provenance.prompt);
    expect(plan.drafts).toBe(12);
    expect(plan.totalUsd).toBeCloseTo(each * 3, 3);
    expect(plan.allUsd).toBeCloseTo(each * 12, 3);
    expect(plan.totalUsd).toBeLessThan(plan.allUsd);
    expect(plan.line).toBe(`Finalizing 3 of 12 drafts: ≈ $${plan.totalUsd.toFixed(2)} instead of ≈ $${plan.allUsd.toFixed(2)} for all 12`);
    expect(plan.line).toMatch(/^Finalizing 3 of 12 drafts: ≈ \$\d\.\d\d instead of ≈ \$\d\.\d\d for all 12$/);
  });

  it("doesn't count images already at the final setting (of the same model, a dated snapshot included) as drafts", () => {
    const done = image('f1', 'Finished', { tier: 'high', model: 'gpt-image-2-2026-04-21' });
    expect(isAtFinal(done, high)).toBe(true);
    expect(isAtFinal(image('x', 'Fast draft', { tier: 'high', model: 'gpt-image-2.5-flare' }), high)).toBe(false);
    const plan = finalizePlan([drafts[0]!, done], [...drafts.slice(0, 4), done], high);
    expect(plan.jobs.map((j) => j.image.id)).toEqual(['d0']);
    expect(plan.line).toMatch(/^Finalizing 1 of 4 drafts: /);
    expect(finalizePlan([done], [done], high)).toMatchObject({ jobs: [], line: 'The selected image is already at this setting.' });
  });

  it('says plainly when every draft is chosen', () => {
    expect(finalizePlan(drafts.slice(0, 2), drafts.slice(0, 2), high).line).toMatch(/^Finalizing 2 drafts: ≈ \$0\.\d\d$/);
  });

  it('keeps transparency only where the final model makes it, and an experimental size goes as JPEG', () => {
    const clear = image('t', 'Sticker', { transparent: true, size: '1024x1024' });
    expect(rerunJob(clear, { ...high, transparentOk: true }, 'finalize')).toMatchObject({ transparent: true, outputFormat: 'png' });
    expect(rerunJob(clear, { ...high, transparentOk: false }, 'finalize')).toMatchObject({ transparent: false });
    expect(rerunJob(image('w', 'Wide', { size: '3840x2160' }), high, 'finalize').outputFormat).toBe('jpeg');
  });
});

describe('final size', () => {
  it("keeps the draft's size, or for HD asks twice the layer's size at the draft's aspect", () => {
    const draft = image('h', 'Hero', { size: '1536x1024' }); // a 300×200 layer
    expect(rerunJob(draft, high, 'finalize').size).toBe('1536x1024');
    expect(rerunJob(draft, { ...high, hd: true }, 'finalize').size).toBe('1536x1024'); // 2× of 300×200 is smaller still
    const big = { ...draft, width: 1200, height: 800 };
    const hd = rerunJob(big, { ...high, hd: true }, 'finalize');
    const [w, h] = hd.size.split('x').map(Number);
    expect(w! / h!).toBeCloseTo(1.5, 2);
    expect(w!).toBeGreaterThan(1536);
    expect(hd.estimateUsd).toBeGreaterThan(rerunJob(big, high, 'finalize').estimateUsd); // more pixels cost more
  });
});

describe('bulk re-run plan', () => {
  it('regenerates every selected image from its recorded prompt at the new tier, with the total first', () => {
    const selected = [image('a', 'Copper kettle'), image('b', 'Linen towel', { tier: 'high' }), image('c', 'Oak board', { model: 'gpt-image-2.5-flare' })];
    const plan = rerunPlan(selected, { model: 'gpt-image-2', tier: 'medium' });
    expect(plan.jobs.map((j) => [j.kind, j.prompt, j.tier, j.model])).toEqual([
      ['generate', 'Copper kettle', 'medium', 'gpt-image-2'],
      ['generate', 'Linen towel', 'medium', 'gpt-image-2'],
      ['generate', 'Oak board', 'medium', 'gpt-image-2'],
    ]);
    // A generation sends no reference: cheaper than the same image finalized.
    expect(plan.jobs[0]!.estimateUsd).toBeLessThan(rerunJob(selected[0]!, { model: 'gpt-image-2', tier: 'medium' }, 'finalize').estimateUsd);
    expect(plan.line).toBe(`Re-run 3 images from their recorded prompts: ≈ $${plan.totalUsd.toFixed(2)}`);
  });
});

describe('bulk re-run with a style kit', () => {
  const kit = { ...high, suffix: '85mm, rim light, teal and orange brand palette' };

  it("sends each recorded prompt with the kit's suffix (a brand refresh); Finalize keeps the draft's own prompt", () => {
    const images = [image('a', 'A copper kettle'), image('b', 'A wool throw, 85mm, rim light, teal and orange brand palette')];
    expect(rerunPlan(images, kit).jobs.map((j) => j.prompt)).toEqual([
      'A copper kettle, 85mm, rim light, teal and orange brand palette',
      'A wool throw, 85mm, rim light, teal and orange brand palette', // already there: not twice
    ]);
    expect(finalizePlan(images, images, kit).jobs.map((j) => j.prompt)).toEqual(['A copper kettle', 'A wool throw, 85mm, rim light, teal and orange brand palette']);
  });
});
