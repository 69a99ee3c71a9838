// The WebP encoder's output must be real WebP: header checks always, a pixel-exact decode in
// Chromium where it is installed (the browser-test machine).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gradient } from '../support/images.js';
import { sniffImage } from './sniff.js';
import { encodeWebp } from './webp.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('encodeWebp', () => {
  it('writes a RIFF/WEBP/VP8L file of the given size', () => {
    const webp = encodeWebp(gradient(1536, 864, 3));
    expect(webp.toString('ascii', 0, 4)).toBe('RIFF');
    expect(webp.readUInt32LE(4)).toBe(webp.length - 8);
    expect(webp.toString('ascii', 8, 16)).toBe('WEBPVP8L');
    expect(webp.length % 2).toBe(0);
    expect(sniffImage(webp)).toEqual({ format: 'webp', width: 1536, height: 864 });
  });

  it('refuses what it cannot encode', () => {
    expect(() => encodeWebp(gradient(16385, 1))).toThrow(RangeError);
  });

  it('codes varying alpha per pixel and flags alpha as used', () => {
    const opaque = encodeWebp(gradient(40, 20, 1));
    const cut = gradient(40, 20, 1);
    for (let i = 3; i < cut.data.length; i += 32) cut.data[i] = 0;
    const mixed = encodeWebp(cut);
    const alphaUsed = (webp: Buffer) => (webp.readUInt32LE(21) >>> 28) & 1;
    expect(alphaUsed(opaque)).toBe(0);
    expect(alphaUsed(mixed)).toBe(1);
    expect(mixed.length).toBeGreaterThan(opaque.length + 40 * 20 - 8); // a byte per pixel more
  });

  it.skipIf(!existsSync(CHROMIUM))('decodes pixel for pixel in Chromium', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      for (const [width, height, seed, alpha] of [[1, 1, 0, 255], [17, 5, 3, 255], [300, 100, 2, 128], [33, 21, 4, -1]] as const) {
        // alpha -1: every pixel its own alpha, 0 and 255 among them
        const image = gradient(width, height, seed, Math.max(0, alpha));
        if (alpha < 0) for (let i = 3; i < image.data.length; i += 4) image.data[i] = [0, 255, 77][(i >> 2) % 3]!;
        const decoded = await page.evaluate(async (b64) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/webp' }), { premultiplyAlpha: 'none' });
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          return { width: bitmap.width, height: bitmap.height, data: Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data) };
        }, encodeWebp(image).toString('base64'));
        expect({ width: decoded.width, height: decoded.height }).toEqual({ width, height });
        // A 2D canvas stores premultiplied colour, so half-transparent pixels may be off by one.
        // Fully transparent pixels keep no colour there at all, so only their alpha is compared.
        const tolerance = alpha === 255 ? 0 : 2;
        const worst = decoded.data.reduce((max, v, i) => (image.data[i - (i % 4) + 3] === 0 && i % 4 !== 3 ? max : Math.max(max, Math.abs(v - image.data[i]!))), 0);
        expect(worst).toBeLessThanOrEqual(tolerance);
      }
    } finally {
      await browser.close();
    }
  });
});
