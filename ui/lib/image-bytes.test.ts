import { describe, expect, it } from 'vitest';
import { pngOf, jpegOf } from '../../test/support/images';
import { base64ImageInfo, base64Mime, base64ToBytes, bytesToBase64 } from './image-bytes';
import { fitWithin, invertAlpha, shrinkSide, uploadShares } from './image-pixels';

describe('base64', () => {
  it('round-trips bytes, large ones included, the same as Node', () => {
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7919) & 0xff);
    const b64 = Buffer.from(bytes).toString('base64');
    expect(bytesToBase64(bytes)).toBe(b64);
    expect(Buffer.from(base64ToBytes(b64)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('names the MIME type from the first characters', () => {
    expect(base64Mime(pngOf(4, 4).toString('base64'))).toBe('image/png');
    expect(base64Mime(jpegOf(4, 4).toString('base64'))).toBe('image/jpeg');
  });
});

describe('base64ImageInfo', () => {
  it('reads the header from the start of a base64 image', () => {
    expect(base64ImageInfo(pngOf(33, 17).toString('base64'))).toEqual({ format: 'png', width: 33, height: 17 });
    expect(base64ImageInfo(Buffer.from([1, 2, 3]).toString('base64'))).toBeNull();
  });

  it('decodes the whole image when the JPEG frame header lies past the first 64 KiB', () => {
    const jpeg = jpegOf(40, 24);
    // A 70 KB comment segment (COM, FF FE) right after SOI pushes the frame header back.
    const comment = Buffer.alloc(70_000 + 4, 0x20);
    comment.writeUInt16BE(0xfffe, 0);
    comment.writeUInt16BE(0xffff, 2);
    const padded = Buffer.concat([jpeg.subarray(0, 2), comment.subarray(0, 0xffff + 2), jpeg.subarray(2)]);
    expect(base64ImageInfo(padded.toString('base64'))).toEqual({ format: 'jpeg', width: 40, height: 24 });
  });
});

describe('pixels', () => {
  it('inverts mask alpha so painted areas become the transparent (edited) ones', () => {
    const mask = { width: 2, height: 1, data: new Uint8ClampedArray([10, 20, 30, 255, 10, 20, 30, 0]) };
    const out = invertAlpha(mask);
    expect(Array.from(out.data)).toEqual([10, 20, 30, 0, 10, 20, 30, 255]);
    expect(Array.from(mask.data)).toEqual([10, 20, 30, 255, 10, 20, 30, 0]);
  });

  it('fits within a longest side without enlarging', () => {
    expect(fitWithin(4000, 2000, 2048)).toEqual({ width: 2048, height: 1024 });
    expect(fitWithin(100, 50, 2048)).toEqual({ width: 100, height: 50 });
  });

  it('shrinks by area towards the byte target', () => {
    expect(shrinkSide(2048, 8_000_000, 2_000_000)).toBe(921);
    expect(shrinkSide(2048, 1_000, 2_000_000)).toBe(2048);
    expect(shrinkSide(300, 8_000_000, 1_000)).toBe(256);
  });

  it('shares the upload budget, giving small images what they need', () => {
    expect(uploadShares([100, 200], 1000)).toEqual([Infinity, Infinity]);
    expect(uploadShares([100, 3000, 3000], 2100)).toEqual([Infinity, 1000, 1000]);
    expect(uploadShares([5000, 5000], 2000)).toEqual([1000, 1000]);
  });
});
