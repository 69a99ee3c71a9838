// Benchmark images that do not compress to nothing: real payloads are photos, and a gradient
// PNG is a fraction of a photo's size, which would flatter every byte-moving figure.
import { randomBytes } from 'node:crypto';
import { encodePng } from '../test/support/images';

/** RGB noise (opaque): about width×height×3 bytes as PNG, whatever the encoder does. */
export function noisePng(width: number, height: number): Buffer {
  const noise = randomBytes(width * height * 3);
  const data = new Uint8Array(width * height * 4);
  for (let p = 0, n = 0; p < data.length; p += 4, n += 3) {
    data[p] = noise[n]!;
    data[p + 1] = noise[n + 1]!;
    data[p + 2] = noise[n + 2]!;
    data[p + 3] = 255;
  }
  return encodePng({ width, height, data });
}

/** A gradient with grain: compresses about as badly as a photo (a 4 MP one comes out near 8 MB). */
export function photoLikePng(width: number, height: number, grain = 8, seed = 1): Buffer {
  const data = new Uint8Array(width * height * 4);
  let s = seed >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const n = (s >>> 24) % grain;
      const i = (y * width + x) * 4;
      data[i] = ((x * 255) / width + n) & 255;
      data[i + 1] = ((y * 255) / height + n) & 255;
      data[i + 2] = ((x + y) / 8 + n) & 255;
      data[i + 3] = 255;
    }
  }
  return encodePng({ width, height, data });
}

/** multipart/form-data bytes for an edit: text fields, then the images as image[] files. */
export function editMultipart(boundary: string, fields: Record<string, string>, images: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  images.forEach((bytes, i) => {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image[]"; filename="ref-${i + 1}.png"\r\nContent-Type: image/png\r\n\r\n`), bytes, Buffer.from('\r\n'));
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}
