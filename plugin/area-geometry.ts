// Pure geometry of the "Framefill area" layer: where its first shape goes, and whether the area
// still lines up with its target (the mask is only meaningful while it does).
import type { Transform } from './figma-types';

export interface AreaBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The first shape of a new area: the middle half of the target (a quarter margin each side). */
export function defaultAreaShape(size: { width: number; height: number }): AreaBox {
  const width = Math.max(0.01, size.width / 2);
  const height = Math.max(0.01, size.height / 2);
  return { x: size.width / 4, y: size.height / 4, width, height };
}

/** Canvas px an area may drift from its target and still count as lined up (rounding, nudges). */
const AREA_POSITION_TOLERANCE = 0.5;
const ROTATION_TOLERANCE = 1e-3;

interface Placed {
  absoluteTransform: Transform;
  width: number;
  height: number;
}

/** The area covers exactly its target: same place, rotation and size (within a small tolerance). */
export function linesUp(area: Placed, target: Placed): boolean {
  const [[a0, a1, ax], [a2, a3, ay]] = area.absoluteTransform;
  const [[t0, t1, tx], [t2, t3, ty]] = target.absoluteTransform;
  const near = (p: number, q: number, tolerance: number) => Math.abs(p - q) <= tolerance;
  return (
    [[a0, t0], [a1, t1], [a2, t2], [a3, t3]].every(([p, q]) => near(p!, q!, ROTATION_TOLERANCE)) &&
    near(ax, tx, AREA_POSITION_TOLERANCE) &&
    near(ay, ty, AREA_POSITION_TOLERANCE) &&
    near(area.width, target.width, AREA_POSITION_TOLERANCE) &&
    near(area.height, target.height, AREA_POSITION_TOLERANCE)
  );
}
