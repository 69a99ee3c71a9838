// Header reading itself is tested in common/image-header.test.ts; here, what Figma will take.
import { describe, expect, it } from 'vitest';
import { checkPlaceable } from './image-bytes';
import { pngOf } from '../test/support/images';

const bytes = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const webp = bytes('RIFF', [30, 0, 0, 0], 'WEBPVP8 ', new Array(12).fill(0));

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
