// One header reader for the sandbox, the panel and the backend: formats from magic bytes, sizes
// from headers, alpha in PNG masks. Cases gathered from the three readers it replaced.
import { describe, expect, it } from 'vitest';
import { encodeWebp } from '../test/fake-openai/webp';
import { encodeJpeg, encodePng, gradient, jpegOf, pngOf } from '../test/support/images';
import { pngHasAlpha, readImageHeader, sniffImageFormat } from './image-header';

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
/** 28 bytes: RIFF/WEBP magic and a lossy chunk header, but too short to hold a size. */
const shortWebp = bytes('RIFF', [30, 0, 0, 0], 'WEBPVP8 ', new Array(12).fill(0));

function riff(chunk: string, payload: number[]): Uint8Array {
  const body = [...'WEBP'].map((c) => c.charCodeAt(0)).concat([...chunk].map((c) => c.charCodeAt(0)), [payload.length, 0, 0, 0], payload);
  const size = body.length;
  return new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([size & 0xff, (size >> 8) & 0xff, 0, 0], body));
}

describe('sniffImageFormat', () => {
  it('names formats from their magic bytes', () => {
    expect(sniffImageFormat(pngOf(2, 2))).toBe('png');
    expect(sniffImageFormat(jpegOf(2, 2))).toBe('jpeg');
    expect(sniffImageFormat(bytes('GIF89a', [1, 0, 1, 0]))).toBe('gif');
    expect(sniffImageFormat(shortWebp)).toBe('webp');
    expect(sniffImageFormat(bytes([0, 0, 0, 28], 'ftypavif', [0, 0, 0, 0]))).toBe('avif');
    expect(sniffImageFormat(bytes([0, 0, 0, 28], 'ftypheic', [0, 0, 0, 0]))).toBe('heic');
    expect(sniffImageFormat(bytes('BM', [0, 0, 0, 0]))).toBe('bmp');
    expect(sniffImageFormat(bytes('II', [42, 0]))).toBe('tiff');
    expect(sniffImageFormat(bytes('  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffImageFormat(bytes('{"error":"nope"}'))).toBe('unknown');
    expect(sniffImageFormat(new Uint8Array())).toBe('unknown');
  });
});

describe('readImageHeader', () => {
  it('reads sizes from PNG, JPEG and GIF headers', () => {
    expect(readImageHeader(pngOf(321, 123))).toEqual({ format: 'png', width: 321, height: 123 });
    expect(readImageHeader(pngOf(33, 17))).toEqual({ format: 'png', width: 33, height: 17 });
    expect(readImageHeader(jpegOf(77, 55))).toEqual({ format: 'jpeg', width: 77, height: 55 });
    expect(readImageHeader(jpegOf(640, 480))).toEqual({ format: 'jpeg', width: 640, height: 480 });
    expect(readImageHeader(encodeJpeg(gradient(40, 24), 60))).toEqual({ format: 'jpeg', width: 40, height: 24 });
    expect(readImageHeader(bytes('GIF89a', [0x2c, 0x01, 0x10, 0x00]))).toEqual({ format: 'gif', width: 300, height: 16 });
  });

  it('reads lossless WebP (VP8L)', () => {
    expect(readImageHeader(encodeWebp(gradient(300, 200)))).toEqual({ format: 'webp', width: 300, height: 200 });
  });

  it('reads extended WebP (VP8X) and lossy WebP (VP8)', () => {
    // VP8X: flags + reserved (4 bytes), then 24-bit width-1 and height-1.
    const w = 1535, h = 1023;
    const vp8x = riff('VP8X', [0, 0, 0, 0, w & 0xff, (w >> 8) & 0xff, 0, h & 0xff, (h >> 8) & 0xff, 0]);
    expect(readImageHeader(vp8x)).toEqual({ format: 'webp', width: 1536, height: 1024 });
    // VP8: 3-byte frame tag, start code, 14-bit width and height.
    const vp8 = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x04, 0x00, 0x03]);
    expect(readImageHeader(vp8)).toEqual({ format: 'webp', width: 1024, height: 768 });
  });

  it('reads a view that starts inside a larger buffer', () => {
    const png = pngOf(21, 13);
    const backing = new Uint8Array(png.length + 7);
    backing.set(png, 7);
    expect(readImageHeader(backing.subarray(7))).toEqual({ format: 'png', width: 21, height: 13 });
  });

  it('returns null for other files, truncated or damaged headers and zero sizes', () => {
    expect(readImageHeader(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(readImageHeader(new Uint8Array(0))).toBeNull();
    expect(readImageHeader(bytes('<html>'))).toBeNull();
    expect(readImageHeader(pngOf(10, 10).subarray(0, 20))).toBeNull();
    expect(readImageHeader(jpegOf(10, 10).subarray(0, 30))).toBeNull();
    expect(readImageHeader(jpegOf(64, 64).subarray(0, 8))).toBeNull();
    expect(readImageHeader(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull(); // scan before any frame header
    expect(readImageHeader(shortWebp)).toBeNull();
    const zero = Buffer.from(pngOf(10, 10));
    zero.writeUInt32BE(0, 16);
    expect(readImageHeader(zero)).toBeNull();
  });

  it('refuses a PNG whose first chunk is not IHDR and a JPEG that loses marker sync', () => {
    const noIhdr = Buffer.from(pngOf(10, 10));
    noIhdr.write('IDAT', 12, 'latin1');
    expect(readImageHeader(noIhdr)).toBeNull();
    // A stray byte after the APP0 segment: a lenient reader would skip ahead and guess.
    const jpeg = Buffer.from(jpegOf(10, 10));
    const app0End = 4 + jpeg.readUInt16BE(4);
    expect(readImageHeader(Buffer.concat([jpeg.subarray(0, app0End), Buffer.from([0x00]), jpeg.subarray(app0End)]))).toBeNull();
  });

  it('gives the whole answer or null for every prefix of a real file, never a throw', () => {
    for (const [file, expected] of [
      [pngOf(12, 9), { format: 'png', width: 12, height: 9 }],
      [jpegOf(12, 9), { format: 'jpeg', width: 12, height: 9 }],
      [encodeWebp(gradient(12, 9)), { format: 'webp', width: 12, height: 9 }],
    ] as const) {
      for (let n = 0; n <= Math.min(file.length, 400); n++) {
        const header = readImageHeader(file.subarray(0, n));
        if (header !== null) expect(header).toEqual(expected);
      }
      expect(readImageHeader(file)).toEqual(expected);
    }
  });
});

describe('pngHasAlpha', () => {
  it('is true for RGBA and false for RGB without tRNS or for other formats', () => {
    expect(pngHasAlpha(encodePng(gradient(8, 8, 0, 0)))).toBe(true);
    const rgb = Buffer.from(pngOf(8, 8));
    rgb[25] = 2;
    expect(pngHasAlpha(rgb)).toBe(false);
    expect(pngHasAlpha(jpegOf(8, 8))).toBe(false);
  });

  it('finds a tRNS chunk before the image data', () => {
    const png = Buffer.from(pngOf(8, 8));
    png[25] = 2; // RGB: no alpha channel of its own
    const trns = Buffer.from([0, 0, 0, 6, ...Buffer.from('tRNS', 'latin1'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const withTrns = Buffer.concat([png.subarray(0, 33), trns, png.subarray(33)]);
    expect(pngHasAlpha(withTrns)).toBe(true);
  });
});
