import { describe, expect, it } from 'vitest';
import { batchChunker, batchEditBudget, MAX_BATCH_EDIT_BYTES, MIN_BATCH_EDIT_BYTES } from './batch-chunks';

/** Every request the chunker answers for `items`, the last included. */
function chunkBatchItems<T>(items: readonly T[], maxBytes: number, maxItems?: number): T[][] {
  const chunker = batchChunker<T>(maxBytes, maxItems);
  const chunks = items.flatMap((item) => {
    const full = chunker.add(item);
    return full ? [full] : [];
  });
  const last = chunker.rest();
  return last ? [...chunks, last] : chunks;
}

const MB = 1024 * 1024;
const item = (id: string, kb: number) => ({ id, images: ['A'.repeat(kb * 1024)] });

describe('batchChunker', () => {
  it('keeps a small plan in one POST, in order', () => {
    const items = [item('a', 1), item('b', 1), item('c', 1)];
    expect(chunkBatchItems(items, 4 * MB)).toEqual([items]);
  });

  it('cuts a large restyle into POSTs that each stay within the budget, nothing lost or reordered', () => {
    const items = Array.from({ length: 30 }, (_, i) => item(`i${i}`, 140));
    const chunks = chunkBatchItems(items, 400 * 1024);
    expect(chunks.length).toBe(15);
    for (const chunk of chunks) expect(new TextEncoder().encode(JSON.stringify({ items: chunk })).byteLength).toBeLessThanOrEqual(400 * 1024);
    expect(chunks.flat()).toEqual(items);
  });

  it('holds no more items per POST than one batch of the deployment takes (a 200-frame page of prompts)', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: `g${i}`, prompt: 'A kettle' }));
    expect(chunkBatchItems(items, 4 * MB).map((c) => c.length)).toEqual([200]);
    const chunks = chunkBatchItems(items, 4 * MB, 75);
    expect(chunks.map((c) => c.length)).toEqual([75, 75, 50]);
    expect(chunks.flat()).toEqual(items);
  });

  it('sends an item larger than the budget alone rather than dropping it', () => {
    const items = [item('small', 10), item('huge', 500), item('after', 10)];
    expect(chunkBatchItems(items, 400 * 1024).map((c) => c.map((i) => i.id))).toEqual([['small'], ['huge'], ['after']]);
  });
});

describe('batchEditBudget', () => {
  it('gives one edit most of the request, many edits a floor that keeps references usable', () => {
    expect(batchEditBudget(4 * MB, 1)).toBe(MAX_BATCH_EDIT_BYTES);
    expect(batchEditBudget(4 * MB, 2)).toBe(Math.floor((4 * MB * 3) / 4 / 2));
    expect(batchEditBudget(4 * MB, 50)).toBe(MIN_BATCH_EDIT_BYTES);
  });

  it('never asks for more than one POST of a small request budget can carry', () => {
    expect(batchEditBudget(MB, 1)).toBe((MB * 3) / 4);
    expect(batchEditBudget(MB, 20)).toBe((MB * 3) / 4);
  });
});
