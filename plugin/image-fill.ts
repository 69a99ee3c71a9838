// The image a target shows, for the edit tools: its topmost visible IMAGE paint, the image's own
// pixel size (asked of Figma, hence async), how the fill shows it, whether Framefill made it,
// and how many originals the edit tools kept hidden under it.
import type { ImagePaint, Paint, PluginAPI, SceneNode } from './figma-types';
import type { ImageFill } from './messages';
import { fillsOf } from './node-utils';
import { FILL_KEY, readProvenance } from './provenance';
import { isKeptOriginal, keptHashes } from './originals';

/** Index in `fills` of the topmost visible image paint (the last is drawn on top), or -1. */
export function topImageIndex(fills: readonly Paint[]): number {
  for (let i = fills.length - 1; i >= 0; i--) {
    const paint = fills[i]!;
    if (paint.type === 'IMAGE' && paint.visible !== false && paint.imageHash) return i;
  }
  return -1;
}

export async function imageFillOf(api: PluginAPI, node: SceneNode): Promise<ImageFill | undefined> {
  const fills = fillsOf(node);
  const index = topImageIndex(fills);
  if (index < 0) return undefined;
  const paint = fills[index] as ImagePaint;
  const hash = paint.imageHash!;
  let size: { width: number; height: number };
  try {
    const image = api.getImageByHash(hash);
    if (!image) return undefined;
    size = await image.getSizeAsync();
  } catch {
    return undefined; // an image Figma can't read can't be edited either
  }
  if (!(size.width >= 1 && size.height >= 1)) return undefined;
  const provenance = readProvenance(node);
  const framefill = provenance !== null && node.getPluginData(FILL_KEY) === hash;
  const kept = keptHashes(node);
  const transform = paint.scaleMode === 'CROP' && paint.imageTransform ? paint.imageTransform : undefined;
  return {
    hash,
    width: Math.round(size.width),
    height: Math.round(size.height),
    scaleMode: paint.scaleMode,
    ...(transform ? { transform: [[...transform[0]], [...transform[1]]] as ImageFill['transform'] & object } : {}),
    framefill,
    ...(framefill && provenance ? { prompt: provenance.prompt } : {}),
    originals: fills.filter((p) => isKeptOriginal(p, kept)).length,
  };
}
