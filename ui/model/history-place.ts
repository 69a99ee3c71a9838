// History's Place: a kept image goes on the canvas from its Figma image hash, so no new request
// (and no new cost) — its provenance records the run it came from at no further charge.
import type { HistoryEntry } from '../../plugin/messages';
import { historyImages } from '../../plugin/history-entry';
import { layerName } from '../run/placement';
import type { Requester } from '../transport';

export async function placeFromHistory(requester: Requester, entry: HistoryEntry, index: number, targetId: string | null): Promise<string[]> {
  const image = historyImages(entry)[index];
  if (!image?.imageHash) throw new Error('This image is no longer stored — Re-run to make it again.');
  const placed = await requester.place({
    type: 'place-hash',
    imageHash: image.imageHash,
    targetId,
    name: layerName(entry.prompt),
    provenance: {
      prompt: entry.prompt,
      tier: entry.tier,
      size: entry.size,
      model: entry.model,
      costUsd: 0,
      createdAt: entry.createdAt,
      referenceIds: [],
      requestId: entry.requestId ?? entry.id,
      ...(entry.transparent ? { transparent: true } : {}),
    },
  });
  return placed.notices;
}
