import { describe, expect, it } from 'vitest';
import { sizeProblem } from '../../backend/size-rules';
import { expandLayout, expandMaskPixels, imageRectInLayer, upscaleSize, type Rect } from './edit-geometry';

const FILL = { scaleMode: 'FILL' as const };
const FIT = { scaleMode: 'FIT' as const };

function ok(layout: ReturnType<typeof expandLayout>) {
  if (!layout.ok) throw new Error(`expected a layout, got: ${layout.reason}`);
  return layout;
}

describe('where a fill shows its image', () => {
  it('FILL covers a 16:9 frame with a 1:1 image, cropping top and bottom', () => {
    expect(imageRectInLayer({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FILL)).toEqual({ x: 0, y: -350, width: 1600, height: 1600 });
  });

  it('FIT keeps the whole image inside, centred', () => {
    expect(imageRectInLayer({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FIT)).toEqual({ x: 350, y: 0, width: 900, height: 900 });
  });

  it('CROP follows the imageTransform: the layer shows the image’s right half', () => {
    const rect = imageRectInLayer({ width: 400, height: 400 }, { width: 800, height: 400 }, { scaleMode: 'CROP', transform: [[0.5, 0, 0.5], [0, 1, 0]] });
    expect(rect).toEqual({ x: -400, y: 0, width: 800, height: 400 });
  });

  it('a tiled fill has no one place', () => {
    expect(imageRectInLayer({ width: 100, height: 100 }, { width: 10, height: 10 }, { scaleMode: 'TILE' })).toBeNull();
  });
});

describe('the expand canvas', () => {
  it('a 1:1 image in a frame resized to 16:9: the whole image in the middle, margins left and right', () => {
    const layout = ok(expandLayout({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FILL));
    const { width, height } = layout.size.size;
    expect(sizeProblem(layout.size.size)).toBeNull();
    expect(width / height).toBeCloseTo(16 / 9, 1);
    // square, centred, the canvas's full height (the size planner may make the canvas up to 2%
    // taller than 16:9; that sliver is margin the fill crops away again)
    expect(layout.rect.height).toBeGreaterThan(height * 0.98);
    expect(Math.abs(layout.rect.width - layout.rect.height)).toBeLessThanOrEqual(1);
    expect(Math.abs(layout.rect.x - (width - layout.rect.width) / 2)).toBeLessThanOrEqual(1);
    expect(Math.abs(layout.rect.y - (height - layout.rect.height) / 2)).toBeLessThanOrEqual(1);
  });

  it('keeps the image where FIT shows it (the same picture, margins around)', () => {
    const filled = ok(expandLayout({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FILL));
    const fitted = ok(expandLayout({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FIT));
    expect(fitted.rect).toEqual(filled.rect);
  });

  it('a portrait frame over a landscape image gets margins above and below', () => {
    const layout = ok(expandLayout({ width: 900, height: 1600 }, { width: 1536, height: 1024 }, FILL));
    expect(layout.rect.width).toBeGreaterThan(layout.size.size.width * 0.98);
    expect(layout.rect.y).toBeGreaterThan(100);
    expect(layout.rect.y + layout.rect.height).toBeLessThan(layout.size.size.height);
  });

  it('a crop toward the image’s right keeps the image left of centre, where the crop put it', () => {
    // the layer shows the right 8/9 of the image's middle band (16:9, as Figma's crop keeps aspect)
    const layout = ok(expandLayout({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, { scaleMode: 'CROP', transform: [[8 / 9, 0, 1 / 9], [0, 0.5, 0.25]] }));
    const { width } = layout.size.size;
    const left = layout.rect.x;
    const right = width - layout.rect.x - layout.rect.width;
    expect(left).toBeGreaterThan(0);
    expect(right).toBeGreaterThan(left);
  });

  it('a rotated frame expands in its own coordinates: its width × height, not its bounding box', () => {
    // A 1600×900 frame rotated 45° has a 1767×1767 bounding box, where a square image would fit as it is.
    expect(expandLayout({ width: 1767, height: 1767 }, { width: 1024, height: 1024 }, FILL).ok).toBe(false);
    const own = ok(expandLayout({ width: 1600, height: 900 }, { width: 1024, height: 1024 }, FILL));
    expect(own.size.size.width / own.size.size.height).toBeCloseTo(16 / 9, 1);
  });

  it('says so when the image already has the frame’s shape', () => {
    const layout = expandLayout({ width: 512, height: 512 }, { width: 1024, height: 1024 }, FILL);
    expect(layout).toEqual({ ok: false, reason: expect.stringMatching(/already has its frame’s shape/) });
  });

  it('refuses tiled fills with a reason', () => {
    expect(expandLayout({ width: 800, height: 400 }, { width: 64, height: 64 }, { scaleMode: 'TILE' })).toMatchObject({ ok: false, reason: expect.stringMatching(/tiled/) });
  });

  it('a frame wider than 3:1 gets a 3:1 canvas that covers it; the image stays whole inside', () => {
    const layout = ok(expandLayout({ width: 4000, height: 400 }, { width: 1024, height: 1024 }, FILL));
    const { width, height } = layout.size.size;
    expect(width / height).toBeCloseTo(3, 2);
    expect(layout.size.notes.map((n) => n.key)).toContain('beyond-wider');
    expect(layout.rect.x).toBeGreaterThanOrEqual(0);
    expect(layout.rect.x + layout.rect.width).toBeLessThanOrEqual(width);
    expect(layout.rect.y + layout.rect.height).toBeLessThanOrEqual(height);
  });

  it('a frame at the size limit stays within the model’s sizes', () => {
    const layout = ok(expandLayout({ width: 3840, height: 2160 }, { width: 2048, height: 2048 }, FILL, true));
    expect(sizeProblem(layout.size.size)).toBeNull();
    expect(layout.size.capped).toBe(true);
    expect(layout.rect.height).toBe(layout.size.size.height);
  });

  it('a tiny frame still gets at least the minimum request size, image inside', () => {
    const layout = ok(expandLayout({ width: 32, height: 18 }, { width: 1024, height: 1024 }, FILL));
    expect(sizeProblem(layout.size.size)).toBeNull();
    expect(layout.rect.height).toBe(layout.size.size.height);
  });
});

describe('the expand mask', () => {
  const alphaAt = (pixels: Uint8ClampedArray, width: number, x: number, y: number) => pixels[(y * width + x) * 4 + 3];

  it('is marked (opaque) exactly over the margins and clear over the image', () => {
    const rect: Rect = { x: 3, y: 0, width: 4, height: 5 };
    const pixels = expandMaskPixels({ width: 10, height: 5 }, rect);
    expect(pixels.length).toBe(10 * 5 * 4);
    for (let y = 0; y < 5; y++) {
      const row = Array.from({ length: 10 }, (_, x) => (alphaAt(pixels, 10, x, y) === 255 ? 'M' : '.')).join('');
      expect(row).toBe('MMM....MMM');
    }
  });
});

describe('upscale', () => {
  it('asks for twice the size a side', () => {
    const plan = upscaleSize({ width: 1024, height: 1024 });
    expect(plan.size.text).toBe('2048x2048');
    expect(plan.factor).toBe(2);
    expect(plan.size.notes.map((n) => n.key)).toContain('experimental');
  });

  it('caps at the model’s limit and says how much larger it got', () => {
    const plan = upscaleSize({ width: 2048, height: 1152 });
    expect(sizeProblem(plan.size.size)).toBeNull();
    expect(plan.size.capped).toBe(true);
    expect(plan.factor).toBeLessThan(2);
    expect(plan.factor).toBeGreaterThan(1.5);
  });

  it('a small image stays out of experimental sizes', () => {
    const plan = upscaleSize({ width: 640, height: 640 });
    expect(plan.size.size.width).toBeGreaterThanOrEqual(1280);
    expect(plan.size.notes.map((n) => n.key)).not.toContain('experimental');
  });
});
