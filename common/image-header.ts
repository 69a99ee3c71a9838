// Image headers, read from the bytes (never a file name or a declared type): which format the
// bytes are, and for PNG, JPEG, GIF and WebP the pixel size the header claims. One reader for the
// sandbox (will Figma take it), the panel (result sizes) and the backend (what an upload really
// is), so all three judge an image alike. Pure; every read is checked against the input length,
// so truncated or hostile bytes give null, never a throw or an endless walk.

/** What the bytes are; the formats past WebP are named only so a refusal can say what it got. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'avif' | 'heic' | 'bmp' | 'tiff' | 'svg' | 'unknown';

/** Formats whose size we read from the header. */
export type SizedFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageHeader {
  format: SizedFormat;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
/** Signature (8) + IHDR length and type (8) + its 13 bytes of data + CRC (4). */
const PNG_HEADER_BYTES = 33;
/** RIFF header (12) + chunk header (8) + the 10 bytes any of VP8/VP8L/VP8X keeps its size in. */
const WEBP_HEADER_BYTES = 30;

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
const u32le = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** Latin-1 text of bytes[start, start+length), shorter when the input ends first. */
function ascii(b: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length && i < b.length; i++) out += String.fromCharCode(b[i]!);
  return out;
}

function isPng(b: Uint8Array): boolean {
  return b.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((v, i) => b[i] === v);
}

/** The format from the magic bytes alone; 'unknown' for anything else (text, HTML, JSON…). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat {
  const b = bytes;
  if (isPng(b)) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (brand.startsWith('hei') || brand.startsWith('hev') || brand === 'mif1' || brand === 'msf1') return 'heic';
  }
  if (b.length >= 2 && ascii(b, 0, 2) === 'BM') return 'bmp';
  if (b.length >= 4 && ((ascii(b, 0, 2) === 'II' && b[2] === 42 && b[3] === 0) || (ascii(b, 0, 2) === 'MM' && b[2] === 0 && b[3] === 42))) return 'tiff';
  const head = ascii(b, 0, 256).trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg'))) return 'svg';
  return 'unknown';
}

/**
 * Format and pixel size of a PNG, JPEG, GIF or WebP from its header; null for other formats and
 * for a header that is truncated, damaged or claims a zero side.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const found = headerOf(bytes);
  return found && found.width > 0 && found.height > 0 ? found : null;
}

function headerOf(b: Uint8Array): ImageHeader | null {
  switch (sniffImageFormat(b)) {
    case 'png':
      return pngHeader(b);
    case 'jpeg':
      return jpegHeader(b);
    case 'gif':
      // Logical screen width and height, little-endian, right after the 6-byte signature.
      return b.length >= 10 ? { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) } : null;
    case 'webp':
      return webpHeader(b);
    default:
      return null;
  }
}

function pngHeader(b: Uint8Array): ImageHeader | null {
  // IHDR must be the first chunk, whole: length(4) "IHDR"(4) width(4) height(4) depth, colour…
  if (b.length < PNG_HEADER_BYTES || ascii(b, 12, 4) !== 'IHDR') return null;
  return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegHeader(b: Uint8Array): ImageHeader | null {
  let i = 2;
  // Walk the marker segments up to the first start-of-frame; each step moves forward.
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null; // lost sync: a damaged file
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue; } // no length field
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or scan data before any frame header
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    // SOF0–SOF15 carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but don't.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return null;
      return { format: 'jpeg', height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

function webpHeader(b: Uint8Array): ImageHeader | null {
  if (b.length < WEBP_HEADER_BYTES) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X') {
    // Extended format: 24-bit canvas width-1 and height-1.
    return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  }
  if (chunk === 'VP8L') {
    // Lossless: signature byte, then 14-bit width-1 and height-1.
    if (b[20] !== 0x2f) return null;
    const bits = u32le(b, 21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') {
    // Lossy key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  return null;
}

/**
 * Whether a PNG can carry transparency: a colour type with alpha (4, 6) or a tRNS chunk before
 * the image data. An edit mask marks the area to edit with transparent pixels, so a PNG without
 * any alpha cannot mark anything.
 */
export function pngHasAlpha(bytes: Uint8Array): boolean {
  if (!pngHeader(bytes)) return false;
  const colourType = bytes[25];
  if (colourType === 4 || colourType === 6) return true;
  let i = 8;
  // Each chunk is at least 12 bytes, so the walk ends within the input.
  while (i + 8 <= bytes.length) {
    const length = u32be(bytes, i);
    const type = ascii(bytes, i + 4, 4);
    if (type === 'tRNS') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    i += 12 + length;
  }
  return false;
}
