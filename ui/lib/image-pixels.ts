// Pixel transforms and upload sizing, pure (ImageData-like in, ImageData-like out) so they are
// tested without a canvas. image-canvas.ts does the decoding and encoding around them.

export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/**
 * A Figma mask layer exports opaque where the user painted; OpenAI wants the mask transparent
 * where to edit. Alpha becomes 255 − alpha; colour is kept.
 */
export function invertAlpha(pixels: Pixels): Pixels {
  const data = new Uint8ClampedArray(pixels.data);
  for (let i = 3; i < data.length; i += 4) data[i] = 255 - data[i]!;
  return { width: pixels.width, height: pixels.height, data };
}

/** Fits width×height within maxSide on the longer side, keeping the aspect; never enlarges. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * Next longest side to try when an image of `bytes` at `longestSide` must shrink to `targetBytes`:
 * encoded size goes roughly with area, so scale by √(target/actual), with 10% headroom.
 */
export function shrinkSide(longestSide: number, bytes: number, targetBytes: number, minSide = 256): number {
  if (bytes <= targetBytes) return longestSide;
  const next = Math.floor(longestSide * Math.sqrt(targetBytes / bytes) * 0.9);
  return Math.max(minSide, Math.min(longestSide - 1, next));
}

/**
 * Splits the upload budget over the images: each gets an equal share, and what small images
 * don't use goes to the large ones. Returns the byte cap per image (Infinity = keep as is).
 */
export function uploadShares(sizes: number[], budget: number): number[] {
  const caps = sizes.map(() => Infinity);
  if (sizes.reduce((a, b) => a + b, 0) <= budget) return caps;
  let remaining = budget;
  let open = sizes.map((_, i) => i);
  // Settle images that fit their share; the rest share what is left.
  for (;;) {
    const share = remaining / open.length;
    const fitting = open.filter((i) => sizes[i]! <= share);
    if (fitting.length === 0) {
      for (const i of open) caps[i] = Math.floor(share);
      return caps;
    }
    for (const i of fitting) remaining -= sizes[i]!;
    open = open.filter((i) => sizes[i]! > share);
    if (open.length === 0) return caps;
  }
}
