// Encoded result images, kept in a small LRU so benchmarks and load tests measure the code under
// test, not this fake re-encoding the same gradient.
import { encodeJpeg, encodePng, gradient, type Rgba } from '../support/images.js';
import { encodeWebp } from './webp.js';

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export interface ImageSpec {
  width: number;
  height: number;
  format: OutputFormat;
  /** different seeds give visibly different images */
  seed: number;
  /** 0..100, used for JPEG quality (PNG and our lossless WebP ignore it) */
  compression: number;
  /** a transparent background: an opaque subject in the middle, fully transparent margins */
  transparent: boolean;
}

const MAX_ENTRIES = 32;
const MAX_BYTES = 256 * 1024 * 1024;

const cache = new Map<string, string>();
let cachedBytes = 0;

/** Base64 of the encoded image (the form every response carries). */
export function imageBase64(spec: ImageSpec): string {
  const key = `${spec.format}:${spec.width}x${spec.height}:${spec.seed}:${spec.format === 'jpeg' ? spec.compression : ''}:${spec.transparent ? 't' : 'o'}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key); // re-insert: Map order is the recency order
    cache.set(key, hit);
    return hit;
  }
  const b64 = encode(spec).toString('base64');
  cache.set(key, b64);
  cachedBytes += b64.length;
  for (const [oldKey, old] of cache) {
    if (cache.size <= MAX_ENTRIES && cachedBytes <= MAX_BYTES) break;
    if (oldKey === key) break;
    cache.delete(oldKey);
    cachedBytes -= old.length;
  }
  return b64;
}

function encode(spec: ImageSpec): Buffer {
  const pixels = gradient(spec.width, spec.height, spec.seed);
  if (spec.transparent) cutOut(pixels);
  if (spec.format === 'jpeg') return encodeJpeg(pixels, Math.max(1, Math.min(100, spec.compression)));
  if (spec.format === 'webp') return encodeWebp(pixels);
  return encodePng(pixels);
}

/**
 * What a transparent-background image looks like: the subject, an ellipse over the middle 70% of
 * each side, stays opaque; everything around it becomes fully transparent (colour cleared too, as
 * encoders store it), so a client that drops the alpha channel shows a black frame, not the same picture.
 */
function cutOut(image: Rgba): void {
  const { width, height, data } = image;
  const rx = width * 0.35;
  const ry = height * 0.35;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5 - width / 2) / rx;
      const dy = (y + 0.5 - height / 2) / ry;
      if (dx * dx + dy * dy <= 1) continue;
      data.fill(0, (y * width + x) * 4, (y * width + x) * 4 + 4);
    }
  }
}

export function imageCacheStats(): { entries: number; bytes: number } {
  return { entries: cache.size, bytes: cachedBytes };
}
