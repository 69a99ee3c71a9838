// Canvas glue around the pure pixel code: decode, resize, re-encode. Everything here needs a
// real browser (createImageBitmap + OffscreenCanvas or <canvas>); the decisions it acts on
// (budget shares, shrink steps, mask inversion) live in image-pixels.ts and are unit-tested.
import type { Size } from '../../backend/size-rules';
import type { UploadImage } from './backend-client';
import { expandMaskPixels, type Rect } from './edit-geometry';
import { base64Mime, base64ToBytes } from './image-bytes';
import { fitWithin, invertAlpha, shrinkSide, uploadShares } from './image-pixels';

export interface SourceImage {
  bytes: Uint8Array;
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** file name sent in the multipart body */
  name: string;
}

export interface PreparedUploads {
  images: UploadImage[];
  mask: Uint8Array | null;
}

/** Room kept for the prompt and multipart framing inside the upload budget. */
const BODY_OVERHEAD = 64 * 1024;
const JPEG_QUALITY = 0.85;
const MAX_SHRINK_ROUNDS = 5;

type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

function canvas(width: number, height: number): AnyCanvas {
  if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

function context(c: AnyCanvas): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D {
  const ctx = c.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx) throw new Error('This browser cannot draw images (no 2D canvas).');
  return ctx;
}

async function encode(c: AnyCanvas, type: 'image/png' | 'image/jpeg', quality?: number): Promise<Uint8Array<ArrayBuffer>> {
  const blob =
    'convertToBlob' in c
      ? await c.convertToBlob({ type, quality })
      : await new Promise<Blob>((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('encoding failed'))), type, quality));
  return new Uint8Array(await blob.arrayBuffer());
}

function decode(bytes: Uint8Array, type: string): Promise<ImageBitmap> {
  return createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}

async function drawScaled(bitmap: ImageBitmap, width: number, height: number): Promise<AnyCanvas> {
  const c = canvas(width, height);
  const ctx = context(c);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return c;
}

/** Re-encodes one image as JPEG, shrinking until it fits `cap` bytes (bounded rounds). */
async function fitImage(source: SourceImage, cap: number): Promise<{ upload: UploadImage; width: number; height: number }> {
  const bitmap = await decode(source.bytes, `image/${source.format}`);
  try {
    let side = Math.max(source.width, source.height);
    let best: { bytes: Uint8Array; width: number; height: number } | null = null;
    for (let round = 0; round < MAX_SHRINK_ROUNDS; round++) {
      const { width, height } = fitWithin(source.width, source.height, side);
      const bytes = await encode(await drawScaled(bitmap, width, height), 'image/jpeg', JPEG_QUALITY);
      best = { bytes, width, height };
      if (bytes.length <= cap) break;
      side = shrinkSide(side, bytes.length, cap);
    }
    return { upload: { bytes: best!.bytes, type: 'image/jpeg', name: source.name.replace(/\.\w+$/, '.jpg') }, width: best!.width, height: best!.height };
  } finally {
    bitmap.close();
  }
}

/** The mask at the first image's final size, alpha inverted, as PNG. */
async function prepareMask(mask: { bytes: Uint8Array }, width: number, height: number): Promise<Uint8Array> {
  const bitmap = await decode(mask.bytes, 'image/png');
  try {
    const c = await drawScaled(bitmap, width, height);
    const ctx = context(c);
    const pixels = ctx.getImageData(0, 0, width, height);
    const inverted = invertAlpha(pixels);
    ctx.putImageData(new ImageData(inverted.data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    return await encode(c, 'image/png');
  } finally {
    bitmap.close();
  }
}

/**
 * Keeps an edit's body under `budget` bytes: images over their share are re-encoded as JPEG and
 * shrunk; the mask follows the first image's final size, as the API requires.
 */
export async function prepareEditUploads(images: SourceImage[], mask: { bytes: Uint8Array } | null, budget: number): Promise<PreparedUploads> {
  const maskAllowance = mask ? mask.bytes.length : 0;
  const caps = uploadShares(images.map((i) => i.bytes.length), Math.max(1, budget - BODY_OVERHEAD - maskAllowance));
  const prepared = await Promise.all(
    images.map(async (source, i) =>
      caps[i] === Infinity
        ? { upload: { bytes: source.bytes, type: `image/${source.format}` as const, name: source.name }, width: source.width, height: source.height }
        : fitImage(source, caps[i]!),
    ),
  );
  const first = prepared[0];
  return {
    images: prepared.map((p) => p.upload),
    mask: mask && first ? await prepareMask(mask, first.width, first.height) : null,
  };
}

const THUMB_SIDE = 96;
const THUMB_MAX_BYTES = 8 * 1024;

/** A small JPEG for history (≤ 96 px, ≤ 8 KB); null when the browser can't make one. */
export async function makeThumbnail(b64: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const bitmap = await decode(base64ToBytes(b64), base64Mime(b64));
    try {
      for (const [side, quality] of [[THUMB_SIDE, 0.6], [THUMB_SIDE, 0.4], [64, 0.4]] as const) {
        const { width, height } = fitWithin(bitmap.width, bitmap.height, side);
        const bytes = await encode(await drawScaled(bitmap, width, height), 'image/jpeg', quality);
        if (bytes.length <= THUMB_MAX_BYTES) return bytes;
      }
      return null;
    } finally {
      bitmap.close();
    }
  } catch {
    return null;
  }
}

/**
 * (issue 14, look) An image already in the panel sent as a reference, no longer than `maxSide`,
 * as the sandbox exports layers: a result used as the batch's look goes at reference size.
 */
export async function fitSourceWithin(source: SourceImage, maxSide: number): Promise<SourceImage> {
  if (Math.max(source.width, source.height) <= maxSide) return source;
  const bitmap = await decode(source.bytes, `image/${source.format}`);
  try {
    const { width, height } = fitWithin(source.width, source.height, maxSide);
    const bytes = await encode(await drawScaled(bitmap, width, height), `image/${source.format}`, source.format === 'jpeg' ? JPEG_QUALITY : undefined);
    return { ...source, bytes, width, height };
  } finally {
    bitmap.close();
  }
}

export interface ComposedEdit {
  image: SourceImage;
  /** in the panel's mask convention (opaque = change here); prepareEditUploads inverts it */
  mask: { bytes: Uint8Array };
}

/**
 * (issue 15, expand) The outpaint canvas: the whole image drawn at `rect` on a transparent canvas
 * of the request's size, as PNG, and its mask (opaque over the margins, clear over the image) at
 * the same size. The geometry is edit-geometry.ts's; this only draws and encodes.
 */
export async function composeExpand(source: SourceImage, size: Size, rect: Rect): Promise<ComposedEdit> {
  const bitmap = await decode(source.bytes, `image/${source.format}`);
  try {
    const c = canvas(size.width, size.height);
    const ctx = context(c);
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, rect.x, rect.y, rect.width, rect.height);
    const image = await encode(c, 'image/png');
    const m = canvas(size.width, size.height);
    context(m).putImageData(new ImageData(expandMaskPixels(size, rect), size.width, size.height), 0, 0);
    const mask = await encode(m, 'image/png');
    return { image: { bytes: image, format: 'png', width: size.width, height: size.height, name: 'target.png' }, mask: { bytes: mask } };
  } finally {
    bitmap.close();
  }
}
