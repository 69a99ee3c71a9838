import { describe, expect, it } from 'vitest';
import type { Target } from '../../plugin/messages';
import { requestEstimate } from './cost-estimate';
import { cutoutModel, defaultToolPrompt, runLabel, tierEstimates, toolBlocked, toolPlan, toolSpec, toolTarget, type ToolChoice, type ToolTarget } from './edit-tool-plan';
import { modelChoices, type ModelChoice } from './model-catalog';
import { modelList } from '../test/model-list';

const [gpt2, flare] = modelChoices(modelList()) as [ModelChoice, ModelChoice, ModelChoice];
const opaque = (m: ModelChoice): ModelChoice => ({ ...m, transparent: 'no' });
const image = (over: Partial<NonNullable<Target['image']>> = {}): NonNullable<Target['image']> => ({ hash: 'img-1', width: 1024, height: 1024, scaleMode: 'FILL', framefill: true, prompt: 'A red fox in snow', originals: 0, ...over });
/** a 1:1 image in a frame resized to 16:9 */
const hero = (over: Partial<Target> = {}): ToolTarget => ({ id: '1:2', name: 'Hero', type: 'FRAME', width: 1600, height: 900, empty: false, maskId: null, image: image(), ...over }) as ToolTarget;
const choice = (over: Partial<ToolChoice> = {}): ToolChoice => ({ model: gpt2, tier: 'medium', models: [gpt2, flare], upscaleTier: 'high', ...over });

describe('which selection the tools show for', () => {
  it('exactly one layer that shows an image or has its area', () => {
    expect(toolTarget([hero()])?.id).toBe('1:2');
    expect(toolTarget([hero({ image: undefined, areaId: '9:9' })])?.id).toBe('1:2');
    expect(toolTarget([hero({ image: undefined })])).toBeNull();
    expect(toolTarget([hero(), hero({ id: '1:3' })])).toBeNull();
    expect(toolTarget([])).toBeNull();
  });
});

describe('the tools’ prompts', () => {
  it('start from the recorded prompt (subject first), say what is wanted, and leave the area to the user', () => {
    expect(defaultToolPrompt('expand', 'A red fox in snow.')).toBe('A red fox in snow. Continue the scene past the edges with the same light, perspective and style, seamless with the image.');
    expect(defaultToolPrompt('expand')).toMatch(/^Continue the scene past the edges/);
    expect(defaultToolPrompt('cutout', 'A red fox in snow')).toMatch(/^The subject of this image alone on a transparent background: A red fox in snow\./);
    expect(defaultToolPrompt('upscale', 'A red fox in snow')).toMatch(/^A red fox in snow\. The same image at a higher resolution: finer detail/);
    expect(defaultToolPrompt('area', 'A red fox in snow')).toBe('');
    for (const tool of ['expand', 'cutout', 'upscale'] as const) expect(defaultToolPrompt(tool, 'x')).not.toMatch(/\b(don't|no |without)\b/i);
  });

  it('take the subject back out of a prompt an earlier tool recorded, instead of piling sentences up', () => {
    const expanded = defaultToolPrompt('expand', 'A red fox in snow');
    const upscaled = defaultToolPrompt('upscale', expanded);
    expect(upscaled).toBe(defaultToolPrompt('upscale', 'A red fox in snow'));
    expect(defaultToolPrompt('cutout', upscaled)).toBe(defaultToolPrompt('cutout', 'A red fox in snow'));
    expect(defaultToolPrompt('expand', defaultToolPrompt('cutout', 'A red fox in snow'))).toBe(expanded);
  });
});

describe('Expand', () => {
  it('asks for the frame’s shape with the whole image where the frame shows it, priced as an edit with one image', () => {
    const plan = toolPlan('expand', hero(), choice(), 120);
    expect(plan).toMatchObject({ reason: null, tier: 'medium', expandRect: { x: 350, y: 6, width: 900, height: 900 } });
    expect(plan.size?.text).toBe('1600x912');
    expect(plan.estimateUsd).toBe(requestEstimate({ tier: 'medium', size: { width: 1600, height: 912 }, n: 1, references: 1, promptChars: 120, book: gpt2.book }));
    expect(runLabel(plan)).toMatch(/^Expand · ≈ \$0\.\d\d$/);
  });

  it('is not offered when the image already has its frame’s shape, or the layer shows no image', () => {
    const square = toolPlan('expand', hero({ width: 500, height: 500 }), choice(), 10);
    expect(square.reason).toMatch(/already has its frame’s shape/);
    expect(square.size).toBeNull();
    expect(runLabel(square)).toBe('Expand');
    expect(toolPlan('expand', hero({ image: undefined, areaId: 'a' }), choice(), 10).reason).toMatch(/no image fill/);
    expect(toolSpec(square, hero({ width: 500, height: 500 }), 'Continue the scene')).toBeNull();
  });

  it('builds one edit that sends the image, keeps PNG, and is placed as an expand of that image', () => {
    const target = hero();
    const spec = toolSpec(toolPlan('expand', target, choice(), 30), target, '  The snowy forest continues  ');
    expect(spec).toMatchObject({
      kind: 'edit',
      n: 1,
      sendsTarget: true,
      targetId: '1:2',
      prompt: 'The snowy forest continues',
      size: '1600x912',
      outputFormat: 'png',
      transparent: false,
      model: 'gpt-image-2',
      tool: { tool: 'expand', parentHash: 'img-1', areaId: null, source: 'image', expandRect: { x: 350, y: 6, width: 900, height: 900 } },
    });
  });
});

describe('Select area', () => {
  it('first needs the area layer, then a prompt saying what goes there', () => {
    expect(toolPlan('area', hero(), choice(), 0).reason).toMatch(/Select area first/);
    const withArea = hero({ areaId: '5:1' });
    const plan = toolPlan('area', withArea, choice(), 0);
    expect(plan.reason).toBeNull();
    expect(toolBlocked(plan, '  ')).toBe('Say what goes in the area.');
    expect(toolSpec(plan, withArea, '')).toBeNull();
    expect(toolSpec(plan, withArea, 'A ceramic vase of dried flowers')).toMatchObject({ outputFormat: 'png', transparent: false, tool: { tool: 'area', areaId: '5:1', parentHash: 'img-1', source: 'fill' } });
  });

  it('works on a layer with an area and no image fill', () => {
    const target = hero({ image: undefined, areaId: '5:1' });
    expect(toolSpec(toolPlan('area', target, choice(), 5), target, 'A lamp')?.tool).toEqual({ tool: 'area', parentHash: null, areaId: '5:1', source: 'fill' });
  });
});

describe('Cut out', () => {
  it('runs with the form’s model when it makes transparency, else the first allowed model that does', () => {
    expect(cutoutModel(choice())?.id).toBe('gpt-image-2');
    expect(cutoutModel(choice({ model: opaque(gpt2), models: [opaque(gpt2), flare] }))?.id).toBe('gpt-image-2.5-flare');
    const plan = toolPlan('cutout', hero(), choice({ model: opaque(gpt2), models: [opaque(gpt2), flare] }), 10);
    expect(plan.model.id).toBe('gpt-image-2.5-flare');
    expect(plan.notes[0]).toMatch(/Runs with 2\.5 Flare/);
  });

  it('is shown disabled with the reason when no allowed model makes transparency', () => {
    const plan = toolPlan('cutout', hero(), choice({ model: opaque(gpt2), models: [opaque(gpt2), opaque(flare)] }), 10);
    expect(plan.reason).toMatch(/None of the models this backend allows makes transparent backgrounds/);
    expect(toolBlocked(plan, 'A fox')).toBe(plan.reason);
  });

  it('asks for a transparent PNG of the layer as it shows, placed above it', () => {
    const target = hero();
    expect(toolSpec(toolPlan('cutout', target, choice(), 10), target, defaultToolPrompt('cutout'))).toMatchObject({ transparent: true, outputFormat: 'png', size: '1600x912', tool: { tool: 'cutout', source: 'fill', parentHash: 'img-1' } });
  });
});

describe('Upscale', () => {
  it('asks for twice the image at the chosen tier (high by default), experimental sizes marked', () => {
    const plan = toolPlan('upscale', hero(), choice(), 10);
    expect(plan).toMatchObject({ tier: 'high', reason: null, notes: ['1024×1024 → 2048×2048 (2×) · experimental size'] });
    expect(toolPlan('upscale', hero(), choice({ upscaleTier: 'low' }), 10).tier).toBe('low');
    expect(toolPlan('upscale', hero(), choice({ upscaleTier: 'low' }), 10).estimateUsd).toBeLessThan(plan.estimateUsd);
    const small = hero({ image: image({ width: 512, height: 512 }) });
    expect(toolPlan('upscale', small, choice(), 10).notes).toEqual(['512×512 → 1024×1024 (2×)']);
    // each tier priced at this size, as the tier choice shows them
    const prices = tierEstimates(plan, 10);
    expect(prices.map((p) => p.tier)).toEqual(['low', 'medium', 'high']);
    expect(prices.find((p) => p.tier === 'high')?.usd).toBe(plan.estimateUsd);
  });

  it('says when the model’s limit caps the factor, and is not offered on an image at the limit', () => {
    expect(toolPlan('upscale', hero({ image: image({ width: 2048, height: 1152 }) }), choice(), 10).notes[0]).toBe('2048×1152 → 3840×2160 (1.9×: the model’s size limit caps it) · experimental size');
    expect(toolPlan('upscale', hero({ image: image({ width: 3840, height: 2160 }) }), choice(), 10).reason).toMatch(/already about as large/);
  });

  it('may go as JPEG at an experimental size (as generation does), PNG otherwise, with the image exported at its own size', () => {
    const big = hero({ image: image({ width: 1536, height: 1536 }) });
    expect(toolSpec(toolPlan('upscale', big, choice(), 10), big, 'Sharper')).toMatchObject({ outputFormat: 'jpeg', size: '2880x2880', exportMaxSide: 2880, tool: { tool: 'upscale', source: 'image' } });
    const small = hero({ image: image({ width: 512, height: 512 }) });
    expect(toolSpec(toolPlan('upscale', small, choice(), 10), small, 'Sharper')).toMatchObject({ outputFormat: 'png', size: '1024x1024' });
  });
});
