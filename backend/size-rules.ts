// gpt-image-2's size rules, pure. The backend validates with them; the panel's size planner
// plans within them. From openai-node's ImageGenerateParams.size and OpenAI's image guide:
// both sides divisible by 16, long:short at most 3:1, at most 3840 px a side and 3840×2160
// pixels in all, at least 655,360 pixels; above 2560×1440 is experimental.

export const SIZE_MULTIPLE = 16;
export const MAX_ASPECT = 3;
export const MAX_SIDE = 3840;
export const MAX_PIXELS = 3840 * 2160;
export const MIN_PIXELS = 655_360;
export const EXPERIMENTAL_ABOVE_PIXELS = 2560 * 1440;

export interface Size {
  width: number;
  height: number;
}

/** "1536x1024" → {width:1536,height:1024}; anything else → null. */
export function parseSize(value: string): Size | null {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(value);
  if (!match) return null;
  return { width: Number(match[1]), height: Number(match[2]) };
}

export function formatSize(size: Size): string {
  return `${size.width}x${size.height}`;
}

/** Why gpt-image-2 would refuse this size, as a sentence; null when it is fine. */
export function sizeProblem({ width, height }: Size): string | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    return 'Width and height must be positive whole numbers of pixels.';
  }
  if (width % SIZE_MULTIPLE !== 0 || height % SIZE_MULTIPLE !== 0) {
    return `Width and height must both be divisible by ${SIZE_MULTIPLE} (got ${width}x${height}).`;
  }
  if (Math.max(width, height) > MAX_SIDE) return `The longest side may be at most ${MAX_SIDE} px (got ${width}x${height}).`;
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) {
    return `The aspect ratio must be between 1:${MAX_ASPECT} and ${MAX_ASPECT}:1 (got ${width}x${height}).`;
  }
  if (width * height > MAX_PIXELS) return `At most ${MAX_PIXELS.toLocaleString('en-US')} pixels (3840x2160) are allowed (got ${width}x${height}).`;
  if (width * height < MIN_PIXELS) return `At least ${MIN_PIXELS.toLocaleString('en-US')} pixels are required (got ${width}x${height}).`;
  return null;
}

export function isExperimental({ width, height }: Size): boolean {
  return width * height > EXPERIMENTAL_ABOVE_PIXELS;
}
