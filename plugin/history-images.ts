// Every paid image of a run becomes a Figma image when it enters History (figma.createImage), so
// its hash can be placed later without a new request, whether or not it was placed now.
import type { PluginAPI } from './figma-types';
import type { HistoryEntry } from './messages';
import { historyImages } from './history-entry';
import { checkPlaceable } from './image-bytes';

export function withImageHashes(api: PluginAPI, entry: HistoryEntry, bytes: readonly (Uint8Array | null)[], log: (message: string) => void): HistoryEntry {
  if (!bytes.some((b) => b)) return entry;
  const images = historyImages(entry).map((image, i) => {
    const data = bytes[i];
    if (image.imageHash || !data) return image;
    // Figma throws on bytes it can't take; the entry is kept without that image's hash.
    if (!checkPlaceable(data).ok) return image;
    try {
      return { ...image, imageHash: api.createImage(data).hash };
    } catch (error) {
      log(`history: couldn't keep image ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
      return image;
    }
  });
  return { ...entry, images, imageHash: entry.imageHash ?? images[0]?.imageHash ?? null };
}
