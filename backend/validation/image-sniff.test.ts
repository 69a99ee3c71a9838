// Header reading itself is tested in common/image-header.test.ts; here, the upload policy.
import { describe, expect, it } from 'vitest';
import { encodeWebp } from '../../test/fake-openai/webp';
import { gradient, jpegOf, pngOf } from '../../test/support/images';
import { sniffImage } from './image-sniff';

const gif = (width: number, height: number) => new Uint8Array([...new TextEncoder().encode('GIF89a'), width & 0xff, width >> 8, height & 0xff, height >> 8]);

describe('sniffImage', () => {
  it('takes PNG, JPEG and WebP uploads', () => {
    expect(sniffImage(pngOf(321, 123))).toEqual({ format: 'png', width: 321, height: 123 });
    expect(sniffImage(jpegOf(640, 480))).toEqual({ format: 'jpeg', width: 640, height: 480 });
    expect(sniffImage(encodeWebp(gradient(300, 200)))).toEqual({ format: 'webp', width: 300, height: 200 });
  });

  it('refuses a GIF, however readable, and anything that is no image', () => {
    expect(sniffImage(gif(16, 32))).toBeNull();
    expect(sniffImage(new TextEncoder().encode('GIF89a......'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });
});
