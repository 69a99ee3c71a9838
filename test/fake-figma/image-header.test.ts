import { describe, expect, it } from 'vitest';
import { readHeader } from './image-header';
import { imageSize, jpegOf, pngOf } from '../support/images';

describe('readHeader (browser-safe size reader for the fake)', () => {
  it('agrees with the Node reader on PNG and JPEG', () => {
    for (const bytes of [pngOf(123, 45), jpegOf(67, 89), pngOf(1, 4096)]) expect(readHeader(new Uint8Array(bytes))).toEqual(imageSize(bytes));
  });

  it('reads GIF and refuses anything else', () => {
    expect(readHeader(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x10, 0, 0x20, 0]))).toEqual({ format: 'gif', width: 16, height: 32 });
    expect(readHeader(new TextEncoder().encode('RIFF....WEBPVP8 '))).toBeNull();
  });
});
