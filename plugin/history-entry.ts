// A history entry's images, whatever version saved it, and how one of them becomes "placed". Pure.
import type { HistoryEntry, HistoryImage } from './messages';

/**
 * Every image of an entry. Entries saved before issue 13 kept only the one image the user placed
 * (imageHash + thumbnail): that is their one image, placed.
 */
export function historyImages(entry: HistoryEntry): HistoryImage[] {
  if (entry.images && entry.images.length > 0) return entry.images;
  return [{ imageHash: entry.imageHash, thumbnail: entry.thumbnail, placed: true }];
}

/** The entry with image `index` marked placed (unchanged when it already was, or there is no such image). */
export function withPlaced(entry: HistoryEntry, index: number): HistoryEntry {
  const images = historyImages(entry);
  if (!images[index] || images[index].placed) return entry;
  return { ...entry, images: images.map((image, i) => (i === index ? { ...image, placed: true } : image)) };
}
