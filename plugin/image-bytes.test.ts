import { describe, expect, it } from 'vitest';
import { checkPlaceable, readImageSize, sniffFormat } from './image-bytes';
import { jpegOf, pngOf } from '../test/support/images';

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const webp = bytes('RIFF', [30, 0, 0, 0], 'WEBPVP8 ', new Array(12).fill(0));

describe('sniffFormat', () => {
  it('names formats from their magic bytes', () => {
    expect(sniffFormat(new Uint8Array(pngOf(2, 2)))).toBe('png');
    expect(sniffFormat(new Uint8Array(jpegOf(2, 2)))).toBe('jpeg');
    expect(sniffFormat(bytes('GIF89a', [1, 0, 1, 0]))).toBe('gif');
    expect(sniffFormat(webp)).toBe('webp');
    expect(sniffFormat(bytes([0, 0, 0, 28], 'ftypavif', [0, 0, 0, 0]))).toBe('avif');
    expect(sniffFormat(bytes([0, 0, 0, 28], 'ftypheic', [0, 0, 0, 0]))).toBe('heic');
    expect(sniffFormat(bytes('BM', [0, 0, 0, 0]))).toBe('bmp');
    expect(sniffFormat(bytes('  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffFormat(bytes('{"error":"nope"}'))).toBe('unknown');
    expect(sniffFormat(new Uint8Array())).toBe('unknown');
  });
});

describe('readImageSize', () => {
  it('reads sizes from PNG, JPEG and GIF headers', () => {
    expect(readImageSize(new Uint8Array(pngOf(321, 123)))).toEqual({ format: 'png', width: 321, height: 123 });
    expect(readImageSize(new Uint8Array(jpegOf(77, 55)))).toEqual({ format: 'jpeg', width: 77, height: 55 });
    expect(readImageSize(bytes('GIF89a', [0x2c, 0x01, 0x10, 0x00]))).toEqual({ format: 'gif', width: 300, height: 16 });
  });

  it('returns null for truncated or damaged headers', () => {
    expect(readImageSize(new Uint8Array(pngOf(10, 10)).slice(0, 20))).toBeNull();
    expect(readImageSize(new Uint8Array(jpegOf(10, 10)).slice(0, 30))).toBeNull();
    expect(readImageSize(bytes([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull();
    expect(readImageSize(webp)).toBeNull();
  });
});

describe('checkPlaceable', () => {
  it('accepts PNG/JPEG up to 4096 px a side', () => {
    expect(checkPlaceable(new Uint8Array(pngOf(4096, 1)))).toMatchObject({ ok: true, info: { width: 4096 } });
  });

  it('explains why Figma would refuse the bytes', () => {
    expect(checkPlaceable(webp)).toEqual({ ok: false, message: 'The image is WebP; Figma only accepts PNG, JPEG or GIF' });
    expect(checkPlaceable(new Uint8Array(pngOf(5000, 2)))).toEqual({ ok: false, message: 'The image is 5000×2 px; Figma accepts at most 4096 px a side' });
    expect(checkPlaceable(bytes('<html>'))).toMatchObject({ ok: false, message: expect.stringContaining('PNG, JPEG or GIF') });
    expect(checkPlaceable(new Uint8Array(pngOf(10, 10)).slice(0, 16))).toMatchObject({ ok: false, message: expect.stringContaining('damaged') });
  });
});
