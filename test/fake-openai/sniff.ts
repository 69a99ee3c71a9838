// What an uploaded file really is, from its magic bytes (the real API ignores file names and
// declared content types just as readily as clients get them wrong).
import { imageSize } from '../support/images.js';

export type UploadFormat = 'png' | 'jpeg' | 'webp';

export interface Sniffed {
  format: UploadFormat;
  width: number;
  height: number;
}

export function sniffImage(bytes: Uint8Array): Sniffed | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 30 && b.toString('ascii', 0, 4) === 'RIFF' && b.toString('ascii', 8, 12) === 'WEBP') return webpSize(b);
  const isPng = b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a;
  const isJpeg = b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  if (!isPng && !isJpeg) return null;
  try {
    const size = imageSize(b);
    if (size.format === 'gif' || size.width <= 0 || size.height <= 0) return null;
    return { format: size.format, width: size.width, height: size.height };
  } catch {
    return null;
  }
}

function webpSize(b: Buffer): Sniffed | null {
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { format: 'webp', width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b.readUInt32LE(21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { format: 'webp', width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  }
  return null;
}

/** A mask must carry transparency: an alpha colour type, or a tRNS chunk before the pixels. */
export function pngHasAlpha(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = b[25];
  if (colourType === 4 || colourType === 6) return true;
  let offset = 8;
  for (let guard = 0; guard < 10_000 && offset + 8 <= b.length; guard++) {
    const length = b.readUInt32BE(offset);
    const type = b.toString('ascii', offset + 4, offset + 8);
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    offset += 12 + length;
  }
  return false;
}
