import { describe, expect, it } from 'vitest';
import { historyImages, withPlaced } from './history-entry';
import { historyEntrySchema, type HistoryEntry } from './messages';

// An entry as the plugin stored it before issue 13: one placed image, no `images`.
const older: HistoryEntry = {
  id: 'h1',
  prompt: 'A mug',
  tier: 'medium',
  size: '1024x1024',
  model: 'gpt-image-2',
  variations: 2,
  costUsd: 0.027,
  createdAt: 1_700_000_000_000,
  nodeIds: ['1:2'],
  imageHash: 'hash-placed',
  thumbnail: new Uint8Array([1, 2]),
};

describe('history entries', () => {
  it('saved by earlier versions still parse and read as their one placed image', () => {
    const parsed = historyEntrySchema.parse(JSON.parse(JSON.stringify({ ...older, thumbnail: null })));
    expect(historyImages(parsed)).toEqual([{ imageHash: 'hash-placed', thumbnail: null, placed: true }]);
    expect(historyImages(older)).toEqual([{ imageHash: 'hash-placed', thumbnail: new Uint8Array([1, 2]), placed: true }]);
  });

  it('list every image of a run, and mark one placed without touching the others', () => {
    const entry: HistoryEntry = { ...older, imageHash: null, thumbnail: null, images: [{ imageHash: 'a', thumbnail: null, placed: false }, { imageHash: 'b', thumbnail: null, placed: false }] };
    const placed = withPlaced(entry, 1);
    expect(historyImages(placed).map((i) => i.placed)).toEqual([false, true]);
    expect(withPlaced(placed, 1)).toBe(placed); // already placed: unchanged
    expect(withPlaced(placed, 5)).toBe(placed); // no such image
    expect(historyImages(withPlaced(older, 0))).toEqual(historyImages(older));
  });
});
