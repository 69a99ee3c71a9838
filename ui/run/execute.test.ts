import { describe, expect, it } from 'vitest';
import { encodeWebp } from '../../test/fake-openai/webp';
import { gradient, jpegOf, pngOf } from '../../test/support/images';
import { toResults } from './execute';

describe('toResults', () => {
  it('takes each image size from its header', () => {
    expect(toResults([pngOf(48, 32).toString('base64'), jpegOf(20, 30).toString('base64')])).toEqual([
      { b64: pngOf(48, 32).toString('base64'), width: 48, height: 32, placed: false },
      { b64: jpegOf(20, 30).toString('base64'), width: 20, height: 30, placed: false },
    ]);
  });

  it('refuses what Figma cannot place: WebP, or bytes that are no image', () => {
    expect(() => toResults([Buffer.from(encodeWebp(gradient(8, 8))).toString('base64')])).toThrow('Figma cannot read');
    expect(() => toResults([Buffer.from('{"error":1}').toString('base64')])).toThrow('Figma cannot read');
  });
});
