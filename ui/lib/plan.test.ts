import { describe, expect, it } from 'vitest';
import type { Selection, Target } from '../../plugin/messages';
import { priceBook } from '../../backend/pricing';
import { buildPlan, withTotal, type FormChoice } from './plan';

const choice: FormChoice = { tier: 'medium', sizeMode: 'auto', customWidth: 1024, customHeight: 1024, hd: false, variations: 1 };
const frame = (id: string, empty: boolean, extra: Partial<Target> = {}): Target => ({ id, name: `Frame ${id}`, type: 'FRAME', width: 1024, height: 1024, empty, maskId: null, ...extra });
const sel = (targets: Target[], skipped: Selection['skipped'] = []): Selection => ({ targets, skipped });

describe('buildPlan', () => {
  it('describes a new image at the viewport centre when nothing is selected', () => {
    const plan = buildPlan({ selection: sel([]), pinned: [], choice, promptChars: 0 });
    // Medium $0.053, and its two stream previews $0.006
    expect(plan.text).toBe('New image at the viewport centre · 1 image · ≈ $0.06');
    expect(plan.previewUsd).toBe(0.006);
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]).toMatchObject({ key: 'viewport', kind: 'generate', target: null, n: 1 });
    expect(plan.jobs[0]!.size.text).toBe('1024x1024');
  });

  it('fills empty frames by generation and restyles the rest by edits', () => {
    const plan = buildPlan({
      selection: sel([frame('1', true), frame('2', true), frame('3', true), frame('4', false, { type: 'RECTANGLE', maskId: 'm4' })]),
      pinned: [],
      choice: { ...choice, variations: 2 },
      promptChars: 40,
    });
    expect(plan.text).toMatch(/^Fill 3 empty frames · restyle 1 layer · 8 images · ≈ \$0\.\d\d$/);
    expect(plan.jobs.map((j) => j.kind)).toEqual(['generate', 'generate', 'generate', 'edit']);
    expect(plan.jobs[3]).toMatchObject({ sendsTarget: true, maskId: 'm4', exportMaxSide: 2048, outputFormat: 'png' });
    expect(plan.totalUsd).toBeCloseTo(plan.jobs.reduce((a, j) => a + j.estimateUsd, 0), 6);
    // An edit pays for its input image on top of the output.
    expect(plan.jobs[3]!.estimateUsd).toBeGreaterThan(plan.jobs[0]!.estimateUsd);
  });

  it("says a fill over Framefill's own image replaces it, apart from empty frames", () => {
    const plan = buildPlan({ selection: sel([frame('1', true), frame('2', true, { framefillImage: true })]), pinned: [], choice, promptChars: 0 });
    expect(plan.jobs.map((j) => [j.kind, j.action])).toEqual([['generate', 'fill'], ['generate', 'fill']]);
    expect(plan.text).toMatch(/^Fill 1 empty frame · replace the image in 1 frame · 2 images/);
  });

  it('sends pinned references with every job and never targets a pinned layer', () => {
    const plan = buildPlan({ selection: sel([frame('1', true), frame('ref', false)]), pinned: [{ id: 'ref', name: 'Moodboard' }], choice, promptChars: 0 });
    expect(plan.jobs).toHaveLength(1);
    expect(plan.jobs[0]).toMatchObject({ key: '1', kind: 'edit', sendsTarget: false, referenceIds: ['ref'], maskId: null });
    expect(plan.text).toMatch(/^Fill 1 empty frame · with 1 reference · 1 image/);
  });

  it('asks for JPEG and a larger export in HD', () => {
    const plan = buildPlan({ selection: sel([frame('1', false, { width: 1440, height: 1024 })]), pinned: [], choice: { ...choice, hd: true }, promptChars: 0 });
    expect(plan.jobs[0]).toMatchObject({ outputFormat: 'jpeg', exportMaxSide: 2880 });
    expect(plan.jobs[0]!.size.text).toBe('2880x2048');
  });

  it('keeps a transparent result PNG even in HD, and names the chosen model', () => {
    const plan = buildPlan({ selection: sel([frame('1', false, { width: 1440, height: 1024 })]), pinned: [], choice: { ...choice, hd: true, transparent: true, model: 'gpt-image-2.5-flare' }, promptChars: 0 });
    expect(plan.jobs[0]).toMatchObject({ outputFormat: 'png', transparent: true, model: 'gpt-image-2.5-flare' });
  });

  it('estimates with the chosen model\'s book', () => {
    const xhigh = { ...choice, tier: 'xhigh' as const, model: 'gpt-image-2.5-flare' };
    const ceiling = buildPlan({ selection: sel([]), pinned: [], choice: xhigh, promptChars: 0 });
    const learned = buildPlan({ selection: sel([]), pinned: [], choice: { ...xhigh, book: priceBook(undefined, { xhigh: 0.3 }) }, promptChars: 0 });
    expect(ceiling.text).toMatch(/≈ \$0\.46$/);
    expect(learned.text).toMatch(/≈ \$0\.31$/);
  });

  it("replaces the plan line's closing total, and only that", () => {
    expect(withTotal('Fill 3 empty frames · 3 images · ≈ $0.18', '≈ $0.08 overnight')).toBe('Fill 3 empty frames · 3 images · ≈ $0.08 overnight');
    expect(withTotal('Fill 3 empty frames · 3 images · ≈ $0.18', 'one look · ≈ $0.20')).toBe('Fill 3 empty frames · 3 images · one look · ≈ $0.20');
    expect(withTotal('Fill 1 empty frame', '≈ $0.01')).toBe('Fill 1 empty frame · ≈ $0.01');
  });

  it('prices the stream previews of every image Now, apart, so Overnight can leave them out', () => {
    const frames = sel([frame('1', true), frame('2', true), frame('3', true)]);
    const medium = buildPlan({ selection: frames, pinned: [], choice: { ...choice, variations: 2 }, promptChars: 0 });
    // 6 images, 2 previews each at 100 output tokens ($30/M)
    expect(medium.previewUsd).toBe(0.036);
    const low = buildPlan({ selection: frames, pinned: [], choice: { ...choice, tier: 'low', variations: 2 }, promptChars: 0 });
    expect(low.previewUsd).toBe(0);
    expect(low.totalUsd).toBeCloseTo(6 * 0.006, 3);
  });

  it('carries skipped layers and size notes, and blocks an invalid custom size', () => {
    const skipped = [{ id: 'g', name: 'Group 1', type: 'GROUP', reason: "Groups can't hold an image fill — select a frame inside" }];
    const banner = buildPlan({ selection: sel([frame('b', true, { name: 'Banner', width: 1200, height: 300 })], skipped), pinned: [], choice, promptChars: 0 });
    expect(banner.skipped).toEqual(skipped);
    expect(banner.notes[0]).toMatchObject({ names: ['Banner'] });
    expect(banner.notes[0]!.text).toMatch(/crops/);
    expect(banner.problems).toEqual([]);
    const bad = buildPlan({ selection: sel([]), pinned: [], choice: { ...choice, sizeMode: 'custom', customWidth: 1000, customHeight: 1000 }, promptChars: 0 });
    expect(bad.problems[0]).toMatch(/divisible by 16/);
  });

  it('groups identical notes: 20 wide layers make one line', () => {
    const banners = Array.from({ length: 20 }, (_, i) => frame(`b${i}`, true, { name: `Banner ${i + 1}`, width: 2000, height: 200 }));
    const plan = buildPlan({ selection: sel([...banners, frame('s', true, { name: 'Icon', width: 512, height: 512 })]), pinned: [], choice, promptChars: 0 });
    expect(plan.notes.map((n) => n.text)).toEqual([
      '20 layers are wider than 3:1 — each gets a 3:1 image that its fill crops.',
      'Made at 816×816, larger than this 512×512 layer: gpt-image-2 makes at least 655,360 pixels.',
    ]);
    expect(plan.notes[0]!.names).toHaveLength(20);
    expect(plan.notes[1]!.names).toEqual(['Icon']);
  });

  it('keeps notes that differ apart and says one layer\'s note in its own words', () => {
    const plan = buildPlan({ selection: sel([frame('w', true, { name: 'Wide', width: 2000, height: 200 }), frame('t', true, { name: 'Tall', width: 200, height: 2000 })]), pinned: [], choice, promptChars: 0 });
    expect(plan.notes.map((n) => n.text)).toEqual([
      "This layer is wider than 3:1, the model's limit — it gets a 3:1 image that the fill crops to fit.",
      "This layer is taller than 1:3, the model's limit — it gets a 1:3 image that the fill crops to fit.",
    ]);
  });
});

describe('buildPlan: how many layers one Run takes', () => {
  const targets = (n: number) => sel(Array.from({ length: n }, (_, i) => frame(String(i + 1), true)));

  it('takes 50 Now, and names Overnight for a page of up to 200', () => {
    expect(buildPlan({ selection: targets(50), pinned: [], choice, promptChars: 8 }).problems).toEqual([]);
    expect(buildPlan({ selection: targets(51), pinned: [], choice, promptChars: 8 }).problems).toEqual(['Select at most 50 layers per run (51 are selected) — or run them Overnight, which takes up to 200.']);
    expect(buildPlan({ selection: targets(201), pinned: [], choice, promptChars: 8 }).problems).toEqual(['Select at most 50 layers per run (201 are selected).']);
  });

  it('takes 200 Overnight, every frame planned and priced', () => {
    const plan = buildPlan({ selection: targets(200), pinned: [], choice, promptChars: 8, overnight: true });
    expect(plan.problems).toEqual([]);
    expect(plan.jobs).toHaveLength(200);
    expect(plan.totalUsd).toBeCloseTo(200 * plan.jobs[0]!.estimateUsd, 6);
    expect(buildPlan({ selection: targets(201), pinned: [], choice, promptChars: 8, overnight: true }).problems).toEqual(['Select at most 200 layers per overnight run (201 are selected).']);
  });
});

describe('buildPlan: per-frame prompts (issue 14)', () => {
  const cards = ['Copper kettle', 'Linen bath towel', 'Oak cutting board', 'Wool throw'].map((title, i) => frame(`p${i}`, true, { name: 'Photo', texts: [title], parentName: `Card ${i}` }));
  const prompt = 'Studio product photo of {text}, 50mm, softbox';

  it("gives every job its own prompt from its card's text, and prices each by its own length", () => {
    const plan = buildPlan({ selection: sel(cards), pinned: [], choice, promptChars: prompt.length, prompt });
    expect(plan.jobs.map((j) => j.prompt)).toEqual([
      'Studio product photo of Copper kettle, 50mm, softbox',
      'Studio product photo of Linen bath towel, 50mm, softbox',
      'Studio product photo of Oak cutting board, 50mm, softbox',
      'Studio product photo of Wool throw, 50mm, softbox',
    ]);
    expect(plan.problems).toEqual([]);
    expect(plan.fields).toBe(true);
    expect(plan.text).toMatch(/^Fill 4 empty frames · 4 images · ≈ \$0\.2\d$/);
  });

  it("an edited line changes that frame's prompt alone (fields in it are filled too)", () => {
    const plan = buildPlan({ selection: sel(cards), pinned: [], choice, promptChars: 0, prompt, overrides: { p2: 'Flat lay of {text} on linen' } });
    expect(plan.jobs.map((j) => [j.prompt, j.edited])).toEqual([
      ['Studio product photo of Copper kettle, 50mm, softbox', false],
      ['Studio product photo of Linen bath towel, 50mm, softbox', false],
      ['Flat lay of Oak cutting board on linen', true],
      ['Studio product photo of Wool throw, 50mm, softbox', false],
    ]);
  });

  it('flags a field with nothing to fill, naming the frame, until its line is edited', () => {
    const bare = frame('x', true, { name: 'Hero' });
    const plan = buildPlan({ selection: sel([cards[0]!, bare]), pinned: [], choice, promptChars: 0, prompt });
    expect(plan.problems).toEqual(['“Hero” has nothing for {text} — edit its line below, or take the field out.']);
    expect(plan.jobs[1]!.missing).toEqual(['text']);
    const fixed = buildPlan({ selection: sel([cards[0]!, bare]), pinned: [], choice, promptChars: 0, prompt, overrides: { x: 'A wide hero photo of a kitchen' } });
    expect(fixed.problems).toEqual([]);
  });

  it('groups many unfilled frames into one problem, and needs a selection for a new image', () => {
    const bare = ['a', 'b', 'c', 'd'].map((id) => frame(id, true));
    expect(buildPlan({ selection: sel(bare), pinned: [], choice, promptChars: 0, prompt: '{name} by {parent}' }).problems).toEqual([
      '4 frames have nothing for {parent} (“Frame a”, “Frame b”, “Frame c”, …) — edit their lines below, or take the field out.',
    ]);
    expect(buildPlan({ selection: sel([]), pinned: [], choice, promptChars: 0, prompt }).problems).toEqual(['{text} needs a selected frame to fill it from — select the frames, or take the field out.']);
  });

  it('flags a {word} that is no field, and a prompt without fields is the same for every frame', () => {
    expect(buildPlan({ selection: sel(cards), pinned: [], choice, promptChars: 0, prompt: 'A {brand} kettle' }).problems).toEqual(['{brand} is not a field — the fields are {text}, {name} and {parent}.']);
    const plain = buildPlan({ selection: sel(cards), pinned: [], choice, promptChars: 0, prompt: 'A kettle' });
    expect(plain.fields).toBe(false);
    expect(new Set(plain.jobs.map((j) => j.prompt))).toEqual(new Set(['A kettle']));
  });
});
