import { describe, expect, it } from 'vitest';
import { defaultAreaShape, linesUp } from './area-geometry';
import type { Transform } from './figma-types';

const at = (x: number, y: number, degrees = 0): Transform => {
  const r = (degrees * Math.PI) / 180;
  return [[Math.cos(r), Math.sin(r), x], [-Math.sin(r), Math.cos(r), y]];
};

describe('area geometry (pure)', () => {
  it('puts the first shape over the middle half of the target', () => {
    expect(defaultAreaShape({ width: 1600, height: 900 })).toEqual({ x: 400, y: 225, width: 800, height: 450 });
    expect(defaultAreaShape({ width: 1, height: 1 })).toEqual({ x: 0.25, y: 0.25, width: 0.5, height: 0.5 });
    // never smaller than Figma's minimum size
    expect(defaultAreaShape({ width: 0.01, height: 0.01 }).width).toBe(0.01);
  });

  it('lines up within half a pixel, and not once moved, resized or rotated', () => {
    const target = { absoluteTransform: at(100, 200, 30), width: 400, height: 300 };
    expect(linesUp({ ...target }, target)).toBe(true);
    expect(linesUp({ ...target, absoluteTransform: at(100.4, 199.7, 30) }, target)).toBe(true);
    expect(linesUp({ ...target, absoluteTransform: at(101, 200, 30) }, target)).toBe(false);
    expect(linesUp({ ...target, width: 401 }, target)).toBe(false);
    expect(linesUp({ ...target, absoluteTransform: at(100, 200, 31) }, target)).toBe(false);
  });
});
