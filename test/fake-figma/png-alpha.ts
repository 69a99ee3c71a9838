// Test helper (Node only): reads the alpha channel of the fake's PNGs (8-bit RGBA, filter 0),
// so tests can check where a mask is opaque.
import { inflateSync } from 'node:zlib';

export function pngAlpha(bytes: Uint8Array): { width: number; height: number; alphaAt(x: number, y: number): number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = b.readUInt32BE(16);
  const height = b.readUInt32BE(20);
  if (b[24] !== 8 || b[25] !== 6) throw new Error('pngAlpha reads 8-bit RGBA PNGs only');
  const idat: Buffer[] = [];
  for (let i = 8; i < b.length; ) {
    const length = b.readUInt32BE(i);
    const type = b.toString('ascii', i + 4, i + 8);
    if (type === 'IDAT') idat.push(b.subarray(i + 8, i + 8 + length));
    i += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  return {
    width,
    height,
    alphaAt(x, y) {
      if (raw[y * stride] !== 0) throw new Error('pngAlpha reads unfiltered rows only');
      return raw[y * stride + 1 + x * 4 + 3]!;
    },
  };
}
