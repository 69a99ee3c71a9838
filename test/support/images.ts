// Real image bytes for tests and the demo upstream: a PNG encoder over node:zlib and JPEG via
// jpeg-js. Images are a gradient with a seed so different requests give different bytes.
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export interface Rgba {
  width: number;
  height: number;
  /** width*height*4 bytes */
  data: Uint8Array;
}

/** A deterministic gradient; `seed` shifts the colours. `alpha` fills the alpha channel. */
export function gradient(width: number, height: number, seed = 0, alpha = 255): Rgba {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 255 / Math.max(1, width - 1) + seed * 37) & 0xff;
      data[i + 1] = (y * 255 / Math.max(1, height - 1) + seed * 91) & 0xff;
      data[i + 2] = (seed * 53) & 0xff;
      data[i + 3] = alpha;
    }
  }
  return { width, height, data };
}

export function encodePng(image: Rgba): Buffer {
  const { width, height, data } = image;
  const stride = width * 4 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0; // filter: none
    Buffer.from(data.buffer, data.byteOffset + y * width * 4, width * 4).copy(raw, y * stride + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

export function encodeJpeg(image: Rgba, quality = 80): Buffer {
  return Buffer.from(jpeg.encode({ width: image.width, height: image.height, data: Buffer.from(image.data) }, quality).data);
}

export function pngOf(width: number, height: number, seed = 0): Buffer {
  return encodePng(gradient(width, height, seed));
}

export function jpegOf(width: number, height: number, seed = 0): Buffer {
  return encodeJpeg(gradient(width, height, seed));
}

/** Width and height from a PNG, JPEG or GIF header (tests use it to check what was produced). */
export function imageSize(bytes: Uint8Array): { format: 'png' | 'jpeg' | 'gif'; width: number; height: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { format: 'png', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString('ascii', 0, 3) === 'GIF') return { format: 'gif', width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) { i++; continue; }
      const marker = b[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: 'jpeg', height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  throw new Error('not a PNG, JPEG or GIF');
}
