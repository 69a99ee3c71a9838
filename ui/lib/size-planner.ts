// Chooses the gpt-image-2 size to request for a target. Pure. The model takes any W×H that
// passes backend/size-rules; we pick, among sizes close to the wanted aspect, the one with the
// fewest (paid) pixels that still covers the target at 1× (standard) or 2× (HD). When the limits
// make that impossible we take the best coverage we can get and say so.
import {
  MAX_ASPECT,
  MAX_PIXELS,
  MAX_SIDE,
  MIN_PIXELS,
  SIZE_MULTIPLE,
  formatSize,
  isExperimental,
  sizeProblem,
  type Size,
} from '../../backend/size-rules';
import type { Settings } from '../../plugin/messages';

export type SizeMode = Settings['sizeMode'];

export interface SizeChoice {
  mode: SizeMode;
  hd: boolean;
  /** used when mode is 'custom' */
  custom: Size;
}

/**
 * Why a size is what it is, for the user. Notes with the same key say the same thing about
 * different layers, so a long selection shows one line for all of them (`many`).
 */
export interface SizeNote {
  key: string;
  /** about this one layer */
  one: string;
  /** the same note about `count` layers at once */
  many(count: number): string;
}

export interface PlannedSize {
  size: Size;
  /** "1536x1024", as the API wants it */
  text: string;
  /** why the size is what it is, for the user (crop, cap, minimum, experimental) */
  notes: SizeNote[];
  /** set when the size cannot be requested (only custom sizes can be invalid) */
  problem: string | null;
  /** the result is cropped by the frame's FILL (aspect differs noticeably) */
  cropped: boolean;
  /** the limits kept the size below the wanted scale */
  capped: boolean;
}

export const RATIOS: Readonly<Record<Exclude<SizeMode, 'auto' | 'custom'>, number>> = {
  '1:1': 1,
  '3:2': 3 / 2,
  '2:3': 2 / 3,
  '4:3': 4 / 3,
  '3:4': 3 / 4,
  '5:4': 5 / 4,
  '4:5': 4 / 5,
  '16:9': 16 / 9,
  '9:16': 9 / 16,
};

/**
 * Aspect tolerances tried in turn (as |ln(candidate/wanted)|): tight first, looser before capping.
 * A ratio the user picked (or the 3:1 clamp) is held to 0.5% so 1:1 means square; a frame's own
 * aspect may drift 2% since the fill's crop of that is invisible and saves pixels.
 */
const EXACT_TOLERANCES = [0.005, 0.02, 0.05, 0.12];
const NATURAL_TOLERANCES = [0.02, 0.05, 0.12];
/** Aspect difference above which we tell the user the frame crops the image. */
const CROP_NOTE_ABOVE = 0.03;
/** Shorter side of the notional canvas when nothing is selected (1024 → 1024x1024, 1536x1024 …). */
const NO_TARGET_SHORT_SIDE = 1024;

let grid: Size[] | null = null;
/** Every size gpt-image-2 accepts; about 30k entries, built once on first use. */
export function validSizes(): readonly Size[] {
  if (grid) return grid;
  grid = [];
  for (let width = SIZE_MULTIPLE; width <= MAX_SIDE; width += SIZE_MULTIPLE) {
    for (let height = SIZE_MULTIPLE; height <= MAX_SIDE; height += SIZE_MULTIPLE) {
      const pixels = width * height;
      if (pixels < MIN_PIXELS || pixels > MAX_PIXELS) continue;
      if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) continue;
      grid.push({ width, height });
    }
  }
  return grid;
}

const human = (s: Size) => `${s.width}×${s.height}`;
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The size for one target (canvas pixels; null when nothing is selected) under the user's
 * choice. Custom sizes are taken as typed (HD does not apply) and validated.
 */
/** The size generation would choose for a layer of this shape (Auto: its own aspect, fewest paid pixels covering it at 1×, or 2× with `hd`). */
export function autoSizeFor(target: Size, hd = false): PlannedSize {
  return planSize(target, { mode: 'auto', hd, custom: { width: 1024, height: 1024 } });
}

export function planSize(target: Size | null, choice: SizeChoice): PlannedSize {
  const notes: SizeNote[] = [];
  if (choice.mode === 'custom') {
    const size = { width: choice.custom.width, height: choice.custom.height };
    const problem = sizeProblem(size);
    const cropped = target !== null && aspectGap(size.width / size.height, safeAspect(target)) > CROP_NOTE_ABOVE;
    if (cropped) notes.push(cropNote(human(size), target!));
    if (!problem && isExperimental(size)) notes.push(experimentalNote);
    return { size, text: formatSize(size), notes, problem, cropped, capped: false };
  }

  const scale = choice.hd ? 2 : 1;
  const ratio = choice.mode === 'auto' ? null : RATIOS[choice.mode];
  // Without a target, imagine a canvas at the wanted ratio with a 1024 px shorter side.
  const base: Size = target
    ? { width: Math.max(1, target.width), height: Math.max(1, target.height) }
    : notionalCanvas(ratio ?? 1);
  const targetAspect = safeAspect(base);
  const wanted = ratio ?? clamp(targetAspect, 1 / MAX_ASPECT, MAX_ASPECT);
  let cropped = false;
  if (target && ratio === null && wanted !== targetAspect) {
    cropped = true;
    const side = targetAspect > 1 ? 'wider' : 'taller';
    const limit = targetAspect > 1 ? `${MAX_ASPECT}:1` : `1:${MAX_ASPECT}`;
    notes.push({
      key: `beyond-${side}`,
      one: `This layer is ${side} than ${limit}, the model's limit — it gets a ${limit} image that the fill crops to fit.`,
      many: (n) => `${n} layers are ${side} than ${limit} — each gets a ${limit} image that its fill crops.`,
    });
  } else if (target && ratio !== null && aspectGap(ratio, targetAspect) > CROP_NOTE_ABOVE) {
    cropped = true;
    notes.push(cropNote(choice.mode, target));
  }

  const need = { width: base.width * scale, height: base.height * scale };
  const exact = ratio !== null || cropped;
  const found = search(wanted, need, exact ? EXACT_TOLERANCES : NATURAL_TOLERANCES);
  const size = found.size;
  let capped = false;
  if (!found.covers) {
    capped = true;
    const reached = Math.min(size.width / base.width, size.height / base.height);
    notes.push({
      key: `capped-${scale}`,
      one: `Capped at ${human(size)} — ${round(reached)}× the layer's pixels instead of ${scale}×, the most gpt-image-2 allows at this shape.`,
      many: (n) => `${n} layers are capped below ${scale === 1 ? 'their own size' : `${scale}× their pixels`} — the most gpt-image-2 allows at their shapes.`,
    });
  } else if (target && coveringArea(need, wanted) < MIN_PIXELS) {
    // A small frame gets a bigger image than it "needs": say why, or 512×512 → 816×816 looks like a bug.
    notes.push({
      key: 'min-pixels',
      one: `Made at ${human(size)}, larger than this ${human(roundSize(target))} layer: gpt-image-2 makes at least ${MIN_PIXELS.toLocaleString('en-US')} pixels.`,
      many: (n) => `${n} small layers are made larger than they are: gpt-image-2 makes at least ${MIN_PIXELS.toLocaleString('en-US')} pixels.`,
    });
  }
  if (isExperimental(size)) notes.push(experimentalNote);
  return { size, text: formatSize(size), notes, problem: null, cropped, capped };
}

const experimentalNote: SizeNote = {
  key: 'experimental',
  one: 'Sizes above 2560×1440 are experimental for gpt-image-2; results can vary.',
  many: (n) => `${n} images are above 2560×1440, experimental for gpt-image-2; results can vary.`,
};

/** The image's shape (a ratio or W×H) differs from the layer's: the fill crops it. */
function cropNote(shape: string, target: Size): SizeNote {
  return {
    key: `crop-${shape}`,
    one: `A ${shape} image is cropped to fill this ${human(roundSize(target))} layer.`,
    many: (n) => `A ${shape} image is cropped to fill each of ${n} layers.`,
  };
}

function search(wanted: number, need: Size, tolerances: number[]): { size: Size; covers: boolean } {
  const sizes = validSizes();
  let fallback: { size: Size; coverage: number } | null = null;
  for (const tolerance of tolerances) {
    let best: Size | null = null;
    let bestGap = Infinity;
    for (const s of sizes) {
      const gap = aspectGap(s.width / s.height, wanted);
      if (gap > tolerance) continue;
      if (s.width >= need.width && s.height >= need.height) {
        const area = s.width * s.height;
        const bestArea = best ? best.width * best.height : Infinity;
        if (area < bestArea || (area === bestArea && gap < bestGap)) {
          best = s;
          bestGap = gap;
        }
      } else if (tolerance === tolerances[0]) {
        // Remember the best-covering near-exact shape in case nothing covers at all.
        const coverage = Math.min(s.width / need.width, s.height / need.height);
        if (!fallback || coverage > fallback.coverage || (coverage === fallback.coverage && s.width * s.height < fallback.size.width * fallback.size.height)) {
          fallback = { size: s, coverage };
        }
      }
    }
    if (best) return { size: best, covers: true };
  }
  // Every aspect in 1:3..3:1 has near-exact sizes on the 16 px grid, so a fallback exists.
  return { size: fallback!.size, covers: false };
}

/** Pixels of the smallest box at aspect `wanted` that covers `need`, before the model's minimum. */
function coveringArea(need: Size, wanted: number): number {
  const width = Math.max(need.width, need.height * wanted);
  return (width * width) / wanted;
}

function notionalCanvas(ratio: number): Size {
  return ratio >= 1
    ? { width: NO_TARGET_SHORT_SIDE * ratio, height: NO_TARGET_SHORT_SIDE }
    : { width: NO_TARGET_SHORT_SIDE, height: NO_TARGET_SHORT_SIDE / ratio };
}

function safeAspect(s: Size): number {
  return Math.max(1, s.width) / Math.max(1, s.height);
}

function aspectGap(a: number, b: number): number {
  return Math.abs(Math.log(a / b));
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

function roundSize(s: Size): Size {
  return { width: Math.round(s.width), height: Math.round(s.height) };
}

/** Longest side to export a target at so the edit input is as sharp as the requested output. */
export function exportSideFor(size: Size, standardSide: number): number {
  return Math.max(standardSide, size.width, size.height);
}
