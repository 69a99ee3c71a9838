// A typed custom size snapped to the nearest one gpt-image-2 accepts, with one short note
// saying why, instead of silently resetting or truncating what the user typed. Pure.
import { MAX_ASPECT, MAX_PIXELS, MAX_SIDE, MIN_PIXELS, SIZE_MULTIPLE, type Size } from '../../backend/size-rules';
import { validSizes } from './size-planner';

export type Side = 'width' | 'height';

export interface SnappedSize {
  size: Size;
  /** "10×1024 → 640×1024: gpt-image-2 needs at least 655,360 pixels."; null when nothing changed */
  note: string | null;
}

/** Moving the side the user did not touch costs this much more per pixel: it changes last. */
const OTHER_SIDE_WEIGHT = 8;

/**
 * The valid size nearest to `typed`, where `edited` is the side the user just typed (the other
 * one keeps its value whenever some valid size allows it). Ties go to the larger size, as
 * rounding 1000 to 1008 does.
 */
export function snapCustomSize(typed: Size, edited: Side): SnappedSize {
  const reason = whyInvalid(typed);
  if (reason === null) return { size: { ...typed }, note: null };
  const weight = (side: Side) => (side === edited ? 1 : OTHER_SIDE_WEIGHT);
  let best: Size | null = null;
  let bestCost = Infinity;
  for (const s of validSizes()) {
    const cost = Math.abs(s.width - typed.width) * weight('width') + Math.abs(s.height - typed.height) * weight('height');
    if (cost < bestCost || (cost === bestCost && best !== null && s.width * s.height > best.width * best.height)) {
      best = s;
      bestCost = cost;
    }
  }
  const size = { ...best! };
  return { size, note: `${human(typed)} → ${human(size)}: gpt-image-2 needs ${reason}.` };
}

/** The first rule a size breaks, in the words of the note; the bounds come before the 16 px grid
 * since they move the size most. */
function whyInvalid({ width, height }: Size): string | null {
  const pixels = width * height;
  if (pixels < MIN_PIXELS) return `at least ${MIN_PIXELS.toLocaleString('en-US')} pixels`;
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) return `a shape of at most ${MAX_ASPECT}:1`;
  if (Math.max(width, height) > MAX_SIDE) return `at most ${MAX_SIDE} px a side`;
  if (pixels > MAX_PIXELS) return `at most ${MAX_PIXELS.toLocaleString('en-US')} pixels (3840×2160)`;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width % SIZE_MULTIPLE !== 0 || height % SIZE_MULTIPLE !== 0) return `sides in steps of ${SIZE_MULTIPLE} px`;
  return null;
}

const human = (s: Size) => `${s.width}×${s.height}`;
