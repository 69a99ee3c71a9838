import { describe, expect, it } from 'vitest';
import { sizeProblem } from '../../backend/size-rules';
import { planSize, exportSideFor, type SizeChoice } from './size-planner';

const auto: SizeChoice = { mode: 'auto', hd: false, custom: { width: 1024, height: 1024 } };
const hd: SizeChoice = { ...auto, hd: true };

const frames = [
  { name: 'iPhone', width: 393, height: 852 },
  { name: 'desktop', width: 1440, height: 1024 },
  { name: 'banner', width: 1200, height: 300 },
  { name: 'Instagram portrait', width: 1080, height: 1350 },
  { name: 'tiny icon', width: 64, height: 64 },
  { name: '4K', width: 3840, height: 2160 },
  { name: 'tall strip', width: 200, height: 1400 },
  { name: 'fractional', width: 393.5, height: 851.25 },
];

describe('planSize over real frame sizes', () => {
  for (const frame of frames) {
    for (const choice of [auto, hd]) {
      it(`${frame.name} ${frame.width}×${frame.height} ${choice.hd ? 'HD' : 'standard'} is valid and covers the frame (or says it is capped)`, () => {
        const planned = planSize(frame, choice);
        expect(sizeProblem(planned.size)).toBeNull();
        const scale = choice.hd ? 2 : 1;
        const covers = planned.size.width >= frame.width * scale && planned.size.height >= frame.height * scale;
        expect(covers || planned.capped).toBe(true);
        if (planned.capped) expect(planned.notes.map((n) => n.one).join(' ')).toMatch(/Capped at/);
        expect(planned.text).toBe(`${planned.size.width}x${planned.size.height}`);
      });
    }
  }

  it('gives a frame that already fits the grid exactly its own size', () => {
    expect(planSize({ width: 1440, height: 1024 }, auto).text).toBe('1440x1024');
    expect(planSize({ width: 1080, height: 1350 }, auto).text).toBe('1088x1360');
  });

  it('lifts a tiny icon to the smallest square gpt-image-2 allows', () => {
    const planned = planSize({ width: 64, height: 64 }, auto);
    expect(planned.text).toBe('816x816');
    expect(planned.capped).toBe(false);
  });

  it('says in one line why a small frame is made larger', () => {
    expect(planSize({ width: 512, height: 512 }, auto).notes.map((n) => n.one)).toEqual([
      'Made at 816×816, larger than this 512×512 layer: gpt-image-2 makes at least 655,360 pixels.',
    ]);
    // a frame big enough for the minimum gets no such note
    expect(planSize({ width: 1024, height: 1024 }, auto).notes).toEqual([]);
  });

  it('gives a banner beyond 3:1 a 3:1 image and says the fill crops it', () => {
    const planned = planSize({ width: 1200, height: 300 }, auto);
    expect(planned.size.width / planned.size.height).toBe(3);
    expect(planned.size.width).toBeGreaterThanOrEqual(1200);
    expect(planned.cropped).toBe(true);
    expect(planned.notes.map((n) => n.one).join(' ')).toMatch(/wider than 3:1.*crops/);
  });

  it('keeps an iPhone frame portrait and close to its aspect', () => {
    const planned = planSize({ width: 393, height: 852 }, auto);
    expect(Math.abs(planned.size.width / planned.size.height - 393 / 852)).toBeLessThan(0.02);
    expect(planned.cropped).toBe(false);
  });

  it('doubles the pixels in HD', () => {
    const planned = planSize({ width: 393, height: 852 }, hd);
    expect(planned.size.width).toBeGreaterThanOrEqual(786);
    expect(planned.size.height).toBeGreaterThanOrEqual(1704);
    expect(planned.capped).toBe(false);
  });

  it('caps a 4K frame in HD at the model maximum and says so', () => {
    const planned = planSize({ width: 3840, height: 2160 }, hd);
    expect(planned.text).toBe('3840x2160');
    expect(planned.capped).toBe(true);
    expect(planned.notes.map((n) => n.one).join(' ')).toMatch(/Capped at 3840×2160 — 1× the layer's pixels instead of 2×/);
    expect(planned.notes.map((n) => n.one).join(' ')).toMatch(/experimental/);
  });

  it('prefers the fewest pixels among covering sizes', () => {
    const planned = planSize({ width: 1440, height: 1024 }, hd);
    expect(planned.text).toBe('2880x2048');
  });
});

describe('planSize modes', () => {
  it('uses 1024x1024 with nothing selected in auto, and 2048x2048 in HD', () => {
    expect(planSize(null, auto).text).toBe('1024x1024');
    expect(planSize(null, hd).text).toBe('2048x2048');
  });

  it('uses the chosen ratio instead of the target aspect and notes the crop', () => {
    const planned = planSize({ width: 1440, height: 1024 }, { ...auto, mode: '1:1' });
    expect(planned.text).toBe('1440x1440');
    expect(planned.notes.map((n) => n.one).join(' ')).toMatch(/1:1 image is cropped/);
    expect(planSize(null, { ...auto, mode: '3:2' }).text).toBe('1536x1024');
    expect(planSize(null, { ...auto, mode: '9:16' }).size.height).toBeGreaterThan(planSize(null, { ...auto, mode: '9:16' }).size.width);
  });

  it('takes a custom size as typed and reports why an invalid one is refused', () => {
    expect(planSize(null, { ...auto, mode: 'custom', custom: { width: 1536, height: 1024 } })).toMatchObject({ text: '1536x1024', problem: null });
    const bad = planSize(null, { ...auto, mode: 'custom', custom: { width: 1000, height: 1000 } });
    expect(bad.problem).toMatch(/divisible by 16/);
    expect(planSize(null, { ...auto, hd: true, mode: 'custom', custom: { width: 1536, height: 1024 } }).text).toBe('1536x1024');
  });
});

describe('the 4:3, 3:4, 5:4 and 4:5 ratios (issue 14)', () => {
  const cases = [
    { mode: '4:3', ratio: 4 / 3 },
    { mode: '3:4', ratio: 3 / 4 },
    { mode: '5:4', ratio: 5 / 4 },
    { mode: '4:5', ratio: 4 / 5 },
  ] as const;
  for (const { mode, ratio } of cases) {
    it(`${mode} gives a valid size within 0.5% of ${mode}, with and without a target, standard and HD`, () => {
      for (const target of [null, { width: 393, height: 852 }, { width: 1440, height: 1024 }, { width: 300, height: 300 }]) {
        for (const choice of [auto, hd]) {
          const planned = planSize(target, { ...choice, mode });
          expect(sizeProblem(planned.size), `${mode} ${JSON.stringify(target)}`).toBeNull();
          expect(Math.abs(Math.log(planned.size.width / planned.size.height / ratio))).toBeLessThanOrEqual(0.005);
        }
      }
    });
  }

  it('picks the smallest 4:5 size that covers a 1080×1350 feed post, and a 1024-short-side canvas with nothing selected', () => {
    expect(planSize({ width: 1080, height: 1350 }, { ...auto, mode: '4:5' }).text).toBe('1088x1360');
    expect(planSize(null, { ...auto, mode: '4:5' }).text).toBe('1024x1280');
    expect(planSize(null, { ...auto, mode: '4:3' }).text).toBe('1392x1040'); // 1360x1024 is 4:3 within 0.4% but falls short of 1365 px
    expect(planSize(null, { ...auto, mode: '3:4' }).size.height).toBeGreaterThan(1024);
  });
});

describe('exportSideFor', () => {
  it('exports at 2048 unless the requested size is larger', () => {
    expect(exportSideFor({ width: 1024, height: 1024 }, 2048)).toBe(2048);
    expect(exportSideFor({ width: 2880, height: 2048 }, 2048)).toBe(2880);
  });
});
