// (issue 15) The edit tools' canvas geometry, pure: where a fill shows its image inside its layer,
// the expand canvas (the layer's shape, the whole image where the fill shows it, margins to
// paint), the expand mask raster, and the upscale size. All in the layer's own coordinates:
// a fill lives in the unrotated layer, so a rotated frame's geometry is its width × height.
import type { Size } from '../../backend/size-rules';
import type { ImageFill } from '../../plugin/messages';
import { autoSizeFor, type PlannedSize } from './size-planner';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type FillShape = Pick<ImageFill, 'scaleMode' | 'transform'>;

/** Margins thinner than this share of the layer's side are rounding, not something to expand. */
const MIN_MARGIN = 0.01;

/**
 * Where the whole image lies in the layer (layer px, may reach past the layer's edges), as its
 * fill shows it. FILL covers the layer (the excess is cropped), FIT fits inside it, CROP follows
 * the imageTransform (layer unit square → image unit square). TILE repeats: null.
 */
export function imageRectInLayer(layer: Size, image: Size, fill: FillShape): Rect | null {
  const { width: lw, height: lh } = layer;
  if (fill.scaleMode === 'TILE' || image.width <= 0 || image.height <= 0) return null;
  if (fill.scaleMode === 'FILL' || fill.scaleMode === 'FIT') {
    const scale = (fill.scaleMode === 'FILL' ? Math.max : Math.min)(lw / image.width, lh / image.height);
    const width = image.width * scale;
    const height = image.height * scale;
    return { x: (lw - width) / 2, y: (lh - height) / 2, width, height };
  }
  // CROP: image uv = T · layer uv; the image's unit square sits at T⁻¹ of it (its bounding box
  // when the transform also rotates).
  const [[a, b, tx], [c, d, ty]] = fill.transform ?? [[1, 0, 0], [0, 1, 0]];
  const det = a * d - b * c;
  if (Math.abs(det) < 1e-9) return null;
  const inverse = (u: number, v: number) => ({ x: (d * (u - tx) - b * (v - ty)) / det, y: (-c * (u - tx) + a * (v - ty)) / det });
  const corners = [inverse(0, 0), inverse(1, 0), inverse(0, 1), inverse(1, 1)];
  const xs = corners.map((p) => p.x * lw);
  const ys = corners.map((p) => p.y * lh);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

export type ExpandLayout =
  | {
      ok: true;
      /** the request's size: the layer's shape, chosen as generation chooses (fewest paid pixels) */
      size: PlannedSize;
      /** where the whole image goes on that canvas (request px, whole numbers) */
      rect: Rect;
    }
  | { ok: false; reason: string };

/**
 * Expand (outpaint): a canvas with the layer's shape holding the whole image, centred on the point
 * the fill shows at the layer's centre and scaled down just enough to fit; what is left around it
 * is the margin the model paints. The result then fills the layer (FILL), so the canvas maps onto
 * the layer as FILL maps it (the 3:1 limit may leave some canvas outside a very wide layer).
 */
export function expandLayout(layer: Size, image: Size, fill: FillShape, hd = false): ExpandLayout {
  if (layer.width < 1 || layer.height < 1) return { ok: false, reason: 'The layer is too small to expand into.' };
  const shown = imageRectInLayer(layer, image, fill);
  if (!shown) return { ok: false, reason: 'A tiled image repeats across the layer — set its fill to Fill, then expand.' };
  // Scale about the layer's centre until the whole image fits, then slide it inside.
  const fit = Math.min(1, layer.width / shown.width, layer.height / shown.height);
  const width = shown.width * fit;
  const height = shown.height * fit;
  const cx = layer.width / 2 + (shown.x + shown.width / 2 - layer.width / 2) * fit;
  const cy = layer.height / 2 + (shown.y + shown.height / 2 - layer.height / 2) * fit;
  const inLayer = {
    x: clamp(cx - width / 2, 0, layer.width - width),
    y: clamp(cy - height / 2, 0, layer.height - height),
    width,
    height,
  };
  if (width >= layer.width * (1 - MIN_MARGIN) && height >= layer.height * (1 - MIN_MARGIN)) {
    return { ok: false, reason: 'The image already has its frame’s shape — resize the frame first, then expand.' };
  }
  const size = autoSizeFor(layer, hd);
  const canvas = size.size;
  // FILL of the canvas into the layer: canvas px = (layer px − layer centre) / k + canvas centre.
  const k = Math.max(layer.width / canvas.width, layer.height / canvas.height);
  const toCanvas = (x: number, y: number) => ({ x: (x - layer.width / 2) / k + canvas.width / 2, y: (y - layer.height / 2) / k + canvas.height / 2 });
  const from = toCanvas(inLayer.x, inLayer.y);
  const to = toCanvas(inLayer.x + inLayer.width, inLayer.y + inLayer.height);
  const x0 = clamp(Math.round(from.x), 0, canvas.width);
  const y0 = clamp(Math.round(from.y), 0, canvas.height);
  const x1 = clamp(Math.round(to.x), 0, canvas.width);
  const y1 = clamp(Math.round(to.y), 0, canvas.height);
  return { ok: true, size, rect: { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) } };
}

/**
 * The expand mask as RGBA pixels in the panel's mask convention (opaque = the area to change;
 * the upload step inverts it into the API's transparent = edit here): opaque over the margins,
 * clear exactly over the image.
 */
export function expandMaskPixels(canvas: Size, rect: Rect): Uint8ClampedArray<ArrayBuffer> {
  const pixels = new Uint8ClampedArray(canvas.width * canvas.height * 4);
  for (let y = 0; y < canvas.height; y++) {
    const inRows = y >= rect.y && y < rect.y + rect.height;
    for (let x = 0; x < canvas.width; x++) {
      const keep = inRows && x >= rect.x && x < rect.x + rect.width;
      pixels[(y * canvas.width + x) * 4 + 3] = keep ? 0 : 255;
    }
  }
  return pixels;
}

export interface UpscalePlan {
  size: PlannedSize;
  /** how much larger than the image it is (2, or less where the model's limits cap it) */
  factor: number;
}

/** Upscale: twice the image's pixels a side, within the model's size rules (capped and marked experimental as generation does). */
export function upscaleSize(image: Size): UpscalePlan {
  const size = autoSizeFor({ width: image.width * 2, height: image.height * 2 });
  const factor = Math.min(size.size.width / image.width, size.size.height / image.height);
  return { size, factor: Math.round(factor * 10) / 10 };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), Math.max(lo, hi));
}
