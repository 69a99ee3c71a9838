// Keeps history well inside figma.clientStorage's 5 MB per plugin (shared with settings and
// pending runs): a count cap, a thumbnail cap and a byte budget, evicting the oldest first.
import type { HistoryEntry } from './messages';

export interface HistoryLimits {
  maxEntries: number;
  /** thumbnails above this are dropped (the entry is kept without one) */
  maxThumbnailBytes: number;
  /** budget for the whole serialized history */
  maxTotalBytes: number;
}

export const HISTORY_LIMITS: HistoryLimits = {
  maxEntries: 100,
  maxThumbnailBytes: 16 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
};

/** UTF-8 size of a value as stored, counting binary data at its byte length. */
export function serializedBytes(value: unknown): number {
  let binary = 0;
  const json = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Uint8Array) {
      binary += v.byteLength;
      return 0;
    }
    return v;
  }) ?? '';
  let text = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    text += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return text + binary;
}

export interface CappedHistory {
  entries: HistoryEntry[];
  evicted: number;
  strippedThumbnails: number;
}

/** Newest first; oversized thumbnails stripped; oldest evicted past the count or byte budget. */
export function capHistory(entries: readonly HistoryEntry[], limits: HistoryLimits = HISTORY_LIMITS): CappedHistory {
  const sorted = entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.createdAt - a.entry.createdAt || a.index - b.index)
    .map(({ entry }) => entry);
  let strippedThumbnails = 0;
  const kept: HistoryEntry[] = [];
  let total = 2; // "[]"
  for (const original of sorted) {
    if (kept.length >= limits.maxEntries) break;
    let entry = original;
    const oversized = (t: Uint8Array | null) => t !== null && t.byteLength > limits.maxThumbnailBytes;
    if (oversized(entry.thumbnail)) {
      entry = { ...entry, thumbnail: null };
      strippedThumbnails++;
    }
    if (entry.images?.some((image) => oversized(image.thumbnail))) {
      strippedThumbnails += entry.images.filter((image) => oversized(image.thumbnail)).length;
      entry = { ...entry, images: entry.images.map((image) => (oversized(image.thumbnail) ? { ...image, thumbnail: null } : image)) };
    }
    const size = serializedBytes(entry) + 1;
    if (total + size > limits.maxTotalBytes) break;
    total += size;
    kept.push(entry);
  }
  return { entries: kept, evicted: sorted.length - kept.length, strippedThumbnails };
}

/** Adds (or replaces, by id) an entry and applies the caps. */
export function withEntry(history: readonly HistoryEntry[], entry: HistoryEntry, limits: HistoryLimits = HISTORY_LIMITS): CappedHistory {
  return capHistory([entry, ...history.filter((e) => e.id !== entry.id)], limits);
}
