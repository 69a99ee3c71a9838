// The fake figma bound to Node: real PNG/JPEG bytes through test/support/images.ts (zlib,
// jpeg-js). Browser builds use ./index.ts with a canvas-based codec instead.
import { encodeJpeg, encodePng, gradient, imageSize } from '../support/images';
import type { ImageCodec, PixelRect } from './codec';
import { createFakeFigma, type FakeFigma, type FakeFigmaOptions } from './fake';

export const nodeCodec: ImageCodec = {
  encodeImage(kind, width, height, seed, opaque?: readonly PixelRect[]) {
    const rgba = gradient(width, height, seed);
    if (opaque) {
      // Only the painted rectangles are opaque; the rest is transparent.
      for (let i = 3; i < rgba.data.length; i += 4) rgba.data[i] = 0;
      for (const r of opaque) {
        const x0 = Math.max(0, r.x);
        const y0 = Math.max(0, r.y);
        const x1 = Math.min(width, r.x + r.width);
        const y1 = Math.min(height, r.y + r.height);
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) rgba.data[(y * width + x) * 4 + 3] = 255;
      }
    }
    const bytes = kind === 'png' ? encodePng(rgba) : encodeJpeg(rgba);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  },
  readImageSize(bytes) {
    try {
      return imageSize(bytes);
    } catch {
      return null;
    }
  },
};

export function createNodeFakeFigma(options: Omit<FakeFigmaOptions, 'codec'> = {}): FakeFigma {
  return createFakeFigma({ ...options, codec: nodeCodec });
}

export * from './index';
