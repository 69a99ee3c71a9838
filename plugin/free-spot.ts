// Where a new layer goes when nothing is selected: the middle of the view, unless that covers
// something already on the page; then the nearest free place beside what is there, in view if
// one is. Pure box arithmetic.
import type { Box } from './geometry';

/** True when the boxes share any area (touching edges do not count). */
export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** True when `inner` lies entirely inside `outer`. */
export function isWithin(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/**
 * `desired` if it covers none of `obstacles`; else the free box of the same size nearest to it,
 * `gap` away from the layers it sits beside, preferring one inside `view`. Candidates are the
 * spots right of, left of, below and above each obstacle (keeping the desired row or column, or
 * aligned with the obstacle); when none is free, right of everything.
 */
export function freeSpotNear(desired: Box, obstacles: readonly Box[], gap: number, view: Box): Box {
  const free = (box: Box) => !obstacles.some((o) => overlaps(box, o));
  if (free(desired)) return desired;
  const { width, height } = desired;
  const candidates: Box[] = [];
  for (const o of obstacles) {
    const xs = [o.x + o.width + gap, o.x - width - gap];
    const ys = [o.y + o.height + gap, o.y - height - gap];
    for (const x of xs) for (const y of [desired.y, o.y]) candidates.push({ x, y, width, height });
    for (const y of ys) for (const x of [desired.x, o.x]) candidates.push({ x, y, width, height });
  }
  const distance = (b: Box) => Math.hypot(b.x - desired.x, b.y - desired.y);
  const best = candidates
    .filter(free)
    .map((box) => ({ box, outOfView: isWithin(box, view) ? 0 : 1, d: distance(box) }))
    .sort((a, b) => a.outOfView - b.outOfView || a.d - b.d)[0];
  if (best) return best.box;
  const right = Math.max(...obstacles.map((o) => o.x + o.width));
  return { x: right + gap, y: desired.y, width, height };
}
