// Image bytes crossing into the sandbox. Figma's createImage throws a terse "Image type is
// unsupported" / "Image is too large"; checking first lets us tell the user exactly what is
// wrong. Sizes come from the header (common/image-header), so a claimed size is never trusted.
import { readImageHeader, sniffImageFormat, type ImageFormat, type ImageHeader } from '../common/image-header';

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

export type PlaceCheck = { ok: true; info: ImageHeader } | { ok: false; message: string };

/** Whether Figma's createImage will take these bytes; otherwise a sentence for the user. */
export function checkPlaceable(bytes: Uint8Array): PlaceCheck {
  const format = sniffImageFormat(bytes);
  if (format !== 'png' && format !== 'jpeg' && format !== 'gif') {
    if (format === 'unknown') return { ok: false, message: 'The result is not an image Figma can read; Figma only accepts PNG, JPEG or GIF' };
    return { ok: false, message: `The image is ${FORMAT_NAMES[format]}; Figma only accepts PNG, JPEG or GIF` };
  }
  const info = readImageHeader(bytes);
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
