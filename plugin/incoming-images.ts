// Results in: every image is checked (format, size from its header) before Figma sees it, so a
// bad one fails with a clear sentence and nothing is placed.
import type { Image, PluginAPI } from './figma-types';
import type { ResultImage } from './messages';
import { checkPlaceable } from './image-bytes';

export interface ReadyImage {
  image: Image;
  /** pixel size read from the bytes (or from Figma for a stored image) */
  width: number;
  height: number;
}

export type Prepared = { ok: true; images: ReadyImage[] } | { ok: false; message: string };

export function prepareImages(api: PluginAPI, images: readonly ResultImage[]): Prepared {
  const checked = [];
  for (const [index, image] of images.entries()) {
    const check = checkPlaceable(image.bytes);
    if (!check.ok) return { ok: false, message: images.length > 1 ? `Image ${index + 1} of ${images.length}: ${check.message}` : check.message };
    checked.push({ bytes: image.bytes, width: check.info.width, height: check.info.height });
  }
  const ready: ReadyImage[] = [];
  for (const image of checked) {
    try {
      ready.push({ image: api.createImage(image.bytes), width: image.width, height: image.height });
    } catch (error) {
      return { ok: false, message: `Figma refused the image: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true, images: ready };
}

/** A history entry placed again from the image Figma already holds. */
export async function imageFromHash(api: PluginAPI, hash: string): Promise<Prepared> {
  const image = api.getImageByHash(hash);
  if (!image) return { ok: false, message: 'That image is no longer in this file — generate it again' };
  const size = await image.getSizeAsync();
  return { ok: true, images: [{ image, width: size.width, height: size.height }] };
}
