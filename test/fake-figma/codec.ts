// The fake's only dependency on real image encoding, injected so the core runs in Node (zlib,
// via test/support/images.ts — see ./node.ts) and in a browser (canvas) alike.

/** A rectangle in export pixels. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ImageHeader {
  format: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
}

export interface ImageCodec {
  /**
   * Real PNG/JPEG bytes of exactly width×height. Pixel content is a gradient picked by `seed`.
   * With `opaque`, only those rectangles are opaque (PNG alpha; JPEG has none) — the fake's
   * stand-in for rendering which layers were visible.
   */
  encodeImage(kind: 'png' | 'jpeg', width: number, height: number, seed: number, opaque?: readonly PixelRect[]): Uint8Array;
  /** Size from a PNG/JPEG/GIF header; null when not one of those or damaged. */
  readImageSize(bytes: Uint8Array): ImageHeader | null;
}
