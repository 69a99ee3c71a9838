// Pure byte sniffing for images crossing into the sandbox. Figma's createImage throws a terse
// "Image type is unsupported" / "Image is too large"; checking first lets us tell the user
// exactly what is wrong, and reading sizes from headers means we never trust a claimed size.

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'avif' | 'heic' | 'bmp' | 'tiff' | 'svg' | 'unknown';

/** Figma's createImage limit, per side. */
export const FIGMA_MAX_IMAGE_SIDE = 4096;

const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  avif: 'AVIF',
  heic: 'HEIC',
  bmp: 'BMP',
  tiff: 'TIFF',
  svg: 'SVG',
  unknown: 'not a recognisable image',
};

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start; i < start + length && i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
}

function u16be(b: Uint8Array, i: number): number {
  return (b[i]! << 8) + b[i + 1]!;
}

function u16le(b: Uint8Array, i: number): number {
  return b[i]! + (b[i + 1]! << 8);
}

export function sniffFormat(bytes: Uint8Array): ImageFormat {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'png';
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

export interface ImageInfo {
  format: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
}

/** Width and height from a PNG, JPEG or GIF header; null when the header is missing or damaged. */
export function readImageSize(bytes: Uint8Array): ImageInfo | null {
  const format = sniffFormat(bytes);
  if (format === 'png') {
    // IHDR must be the first chunk: length(4) "IHDR"(4) width(4) height(4).
    if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') return null;
    return positive({ format, width: u32be(bytes, 16), height: u32be(bytes, 20) });
  }
  if (format === 'gif') {
    if (bytes.length < 10) return null;
    return positive({ format, width: u16le(bytes, 6), height: u16le(bytes, 8) });
  }
  if (format === 'jpeg') return jpegSize(bytes);
  return null;
}

function positive(info: ImageInfo): ImageInfo | null {
  return info.width > 0 && info.height > 0 ? info : null;
}

function jpegSize(b: Uint8Array): ImageInfo | null {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null; // lost sync: damaged file
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { i += 2; continue; } // standalone markers
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / start of scan before any frame header
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (i + 9 > b.length) return null;
      return positive({ format: 'jpeg', height: u16be(b, i + 5), width: u16be(b, i + 7) });
    }
    i += 2 + length;
  }
  return null;
}

export type PlaceCheck = { ok: true; info: ImageInfo } | { ok: false; message: string };

/** Whether Figma's createImage will take these bytes; otherwise a sentence for the user. */
export function checkPlaceable(bytes: Uint8Array): PlaceCheck {
  const format = sniffFormat(bytes);
  if (format !== 'png' && format !== 'jpeg' && format !== 'gif') {
    if (format === 'unknown') return { ok: false, message: 'The result is not an image Figma can read; Figma only accepts PNG, JPEG or GIF' };
    return { ok: false, message: `The image is ${FORMAT_NAMES[format]}; Figma only accepts PNG, JPEG or GIF` };
  }
  const info = readImageSize(bytes);
  if (!info) return { ok: false, message: `The ${FORMAT_NAMES[format]} image is damaged: its size can't be read` };
  if (info.width > FIGMA_MAX_IMAGE_SIDE || info.height > FIGMA_MAX_IMAGE_SIDE) {
    return {
      ok: false,
      message: `The image is ${info.width}×${info.height} px; Figma accepts at most ${FIGMA_MAX_IMAGE_SIDE} px a side`,
    };
  }
  return { ok: true, info };
}

/** Bytes typed as the message schema wants them (backed by a plain ArrayBuffer, copied if not). */
export function plainBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
