// Real format and size from the bytes, whatever the name or declared type.
import { describe, expect, it } from 'vitest';
import { encodeWebp } from '../../test/fake-openai/webp';
import { encodePng, gradient, jpegOf, pngOf } from '../../test/support/images';
import { pngHasAlpha, sniffImage } from './image-sniff';

function riff(chunk: string, payload: number[]): Uint8Array {
  const body = [...'WEBP'].map((c) => c.charCodeAt(0)).concat([...chunk].map((c) => c.charCodeAt(0)), [payload.length, 0, 0, 0], payload);
  const size = body.length;
  return new Uint8Array([...'RIFF'].map((c) => c.charCodeAt(0)).concat([size & 0xff, (size >> 8) & 0xff, 0, 0], body));
}

describe('sniffImage', () => {
  it('reads PNG and JPEG sizes', () => {
    expect(sniffImage(pngOf(321, 123))).toEqual({ format: 'png', width: 321, height: 123 });
    expect(sniffImage(jpegOf(640, 480))).toEqual({ format: 'jpeg', width: 640, height: 480 });
  });

  it('reads lossless WebP (VP8L)', () => {
    expect(sniffImage(encodeWebp(gradient(300, 200)))).toEqual({ format: 'webp', width: 300, height: 200 });
  });

  it('reads extended WebP (VP8X) and lossy WebP (VP8)', () => {
    // VP8X: flags + reserved (4 bytes), then 24-bit width-1 and height-1.
    const w = 1535, h = 1023;
    const vp8x = riff('VP8X', [0, 0, 0, 0, w & 0xff, (w >> 8) & 0xff, 0, h & 0xff, (h >> 8) & 0xff, 0]);
    expect(sniffImage(vp8x)).toEqual({ format: 'webp', width: 1536, height: 1024 });
    // VP8: 3-byte frame tag, start code, 14-bit width and height.
    const vp8 = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x00, 0x04, 0x00, 0x03]);
    expect(sniffImage(vp8)).toEqual({ format: 'webp', width: 1024, height: 768 });
  });

  it('rejects other files, truncated headers and zero sizes', () => {
    expect(sniffImage(new TextEncoder().encode('GIF89a......'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(pngOf(10, 10).subarray(0, 20))).toBeNull();
    expect(sniffImage(jpegOf(64, 64).subarray(0, 8))).toBeNull();
    const zero = Buffer.from(pngOf(10, 10));
    zero.writeUInt32BE(0, 16);
    expect(sniffImage(zero)).toBeNull();
  });
});

describe('pngHasAlpha', () => {
  it('is true for RGBA and false for RGB without tRNS', () => {
    expect(pngHasAlpha(encodePng(gradient(8, 8, 0, 0)))).toBe(true);
    const rgb = Buffer.from(pngOf(8, 8));
    rgb[25] = 2;
    expect(pngHasAlpha(rgb)).toBe(false);
    expect(pngHasAlpha(jpegOf(8, 8))).toBe(false);
  });
});
