// History's Place: a kept image goes on the canvas from its Figma image hash, so no new request
// (and no new cost) — its provenance records the run it came from at no further charge. Figma may
// drop an image no layer uses when the file closes; then the backend's retained result of the
// same request (GET /v1/results/{id}, kept for FRAMEFILL_RESULT_TTL_SECONDS) brings it back, still
// without a new generation.
import type { HistoryEntry, Provenance } from '../../plugin/messages';
import { historyImages } from '../../plugin/history-entry';
import { layerName } from '../run/placement';
import { toResults } from '../run/execute';
import { base64ToBytes } from '../lib/image-bytes';
import { SandboxError, type Requester } from '../transport';

/** The images a finished request delivered (base64), or null when the backend no longer has them. */
export type FetchKept = (requestId: string) => Promise<string[] | null>;

export async function placeFromHistory(requester: Requester, entry: HistoryEntry, index: number, targetId: string | null, fetchKept?: FetchKept): Promise<string[]> {
  const image = historyImages(entry)[index];
  if (!image?.imageHash) throw new Error('This image is no longer stored — Re-run to make it again.');
  const provenance: Provenance = {
    prompt: entry.prompt,
    tier: entry.tier,
    size: entry.size,
    model: entry.model,
    costUsd: 0,
    createdAt: entry.createdAt,
    referenceIds: [],
    requestId: entry.requestId ?? entry.id,
    ...(entry.transparent ? { transparent: true } : {}),
  };
  const name = layerName(entry.prompt);
  try {
    return (await requester.place({ type: 'place-hash', imageHash: image.imageHash, targetId, name, provenance })).notices;
  } catch (error) {
    // Only "Figma no longer has it" is worth asking the backend; anything else is said as it is.
    if (!(error instanceof SandboxError) || !entry.requestId || !fetchKept) throw error;
    const kept = await fetchKept(entry.requestId).catch(() => null);
    const b64 = kept?.[index];
    if (!b64) throw new Error('This image is no longer in this file, and the backend no longer keeps it — Re-run to make it again.', { cause: error });
    const [result] = toResults([b64]);
    const placed = await requester.place({ type: 'place', targetId, images: [{ bytes: base64ToBytes(b64), width: result!.width, height: result!.height }], mode: 'one', name, provenance });
    return placed.notices;
  }
}
