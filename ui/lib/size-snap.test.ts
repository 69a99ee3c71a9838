import { describe, expect, it } from 'vitest';
import { sizeProblem } from '../../backend/size-rules';
import { snapCustomSize } from './size-snap';

describe('snapCustomSize', () => {
  it('leaves a valid size alone, without a note', () => {
    expect(snapCustomSize({ width: 1536, height: 1024 }, 'width')).toEqual({ size: { width: 1536, height: 1024 }, note: null });
  });

  it('lifts a tiny width to the smallest that reaches the minimum pixel count, keeping the height', () => {
    const snapped = snapCustomSize({ width: 10, height: 1024 }, 'width');
    expect(snapped.size).toEqual({ width: 640, height: 1024 });
    expect(snapped.note).toBe('10×1024 → 640×1024: gpt-image-2 needs at least 655,360 pixels.');
  });

  it('brings a huge width down to 3:1 against the height the user kept', () => {
    const snapped = snapCustomSize({ width: 99999, height: 1024 }, 'width');
    expect(snapped.size).toEqual({ width: 3072, height: 1024 });
    expect(snapped.note).toMatch(/at most 3:1/);
  });

  it('rounds to the 16 px grid, the nearer step (ties upward)', () => {
    expect(snapCustomSize({ width: 1000, height: 1024 }, 'width').size).toEqual({ width: 1008, height: 1024 });
    expect(snapCustomSize({ width: 1030, height: 1024 }, 'width').size).toEqual({ width: 1024, height: 1024 });
    expect(snapCustomSize({ width: 1024, height: 1500 }, 'height').note).toBe('1024×1500 → 1024×1504: gpt-image-2 needs sides in steps of 16 px.');
  });

  it('caps a side at 3840 and the total at 3840×2160 pixels', () => {
    expect(snapCustomSize({ width: 5000, height: 2000 }, 'width').size).toEqual({ width: 3840, height: 2000 });
    expect(snapCustomSize({ width: 3840, height: 3000 }, 'height').size).toEqual({ width: 3840, height: 2160 });
  });

  it('moves the other side only when no valid size keeps it', () => {
    // no width makes 16 px high valid (3:1 caps it at 48 wide): the height has to grow
    const snapped = snapCustomSize({ width: 1024, height: 16 }, 'height');
    expect(snapped.size.width).toBe(1024);
    expect(snapped.size.height).toBe(640);
  });

  it('always lands on a size the backend accepts', () => {
    for (const width of [1, 15, 17, 333, 655, 2561, 3839, 4000, 123456]) {
      for (const height of [16, 480, 1024, 2160, 3840]) {
        const { size } = snapCustomSize({ width, height }, 'width');
        expect(sizeProblem(size), `${width}x${height} → ${size.width}x${size.height}`).toBeNull();
      }
    }
  });
});
