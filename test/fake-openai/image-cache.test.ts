import { describe, expect, it } from 'vitest';
import { pngAlpha } from '../fake-figma/png-alpha.js';
import { imageSize } from '../support/images.js';
import { imageBase64, imageCacheStats, type ImageSpec } from './image-cache.js';

const spec = (over: Partial<ImageSpec>): ImageSpec => ({ width: 32, height: 16, format: 'png', seed: 0, compression: 100, transparent: false, ...over });

describe('image cache', () => {
  it('encodes each spec as asked, and a different seed gives different bytes', () => {
    const png = Buffer.from(imageBase64(spec({})), 'base64');
    expect(imageSize(png)).toEqual({ format: 'png', width: 32, height: 16 });
    expect(imageSize(Buffer.from(imageBase64(spec({ format: 'jpeg' })), 'base64')).format).toBe('jpeg');
    expect(imageBase64(spec({ seed: 1 }))).not.toBe(imageBase64(spec({})));
  });

  it('JPEG compression changes the bytes; PNG ignores it', () => {
    expect(imageBase64(spec({ format: 'jpeg', compression: 10 }))).not.toBe(imageBase64(spec({ format: 'jpeg', compression: 90 })));
    expect(imageBase64(spec({ compression: 10 }))).toBe(imageBase64(spec({ compression: 90 })));
  });

  it('a transparent image keeps its subject and clears its margins; cached apart from the opaque one', () => {
    const transparent = imageBase64(spec({ width: 64, height: 64, transparent: true }));
    expect(transparent).not.toBe(imageBase64(spec({ width: 64, height: 64 })));
    expect(imageBase64(spec({ width: 64, height: 64, transparent: true }))).toBe(transparent);
    const alpha = pngAlpha(Buffer.from(transparent, 'base64'));
    expect([alpha.alphaAt(32, 32), alpha.alphaAt(0, 0), alpha.alphaAt(63, 32)]).toEqual([255, 0, 0]);
  });

  it('stays bounded', () => {
    for (let seed = 0; seed < 80; seed++) imageBase64(spec({ seed, width: 16, height: 16 }));
    expect(imageCacheStats().entries).toBeLessThanOrEqual(32);
  });
});
