// History keeps every image a run paid for, as soon as it is delivered, with the run's whole cost;
// placing one later marks it placed. Watches the run store (not the run modules), so whatever
// delivers results — a run, a retry, a recovered run — is recorded once per request.
import { effect, type ReadonlySignal } from '@preact/signals';
import type { HistoryEntry, UiToSandbox } from '../../plugin/messages';
import { historyImages } from '../../plugin/history-entry';
import { shownUsd } from '../lib/cost-estimate';
import { base64ToBytes } from '../lib/image-bytes';
import type { ImageOps, RunState } from '../run/context';
import { DELIVERED, type JobState } from '../run/job';

/** The entry a delivered job adds: every image, unplaced so far, the whole request's cost. */
export function entryOf(job: JobState, thumbnails: readonly (Uint8Array<ArrayBuffer> | null)[], now: number): HistoryEntry {
  const { spec } = job;
  return {
    id: job.requestId,
    requestId: job.requestId,
    prompt: spec.prompt,
    tier: spec.tier,
    size: spec.size,
    model: job.model ?? spec.model,
    variations: spec.n,
    costUsd: shownUsd(job.cost).usd,
    createdAt: Math.floor(job.finishedAt ?? now),
    nodeIds: [],
    imageHash: null,
    thumbnail: null,
    images: job.results.map((_, i) => ({ imageHash: null, thumbnail: thumbnails[i] ?? null, placed: false })),
    ...(spec.transparent ? { transparent: true } : {}),
  };
}

interface RecorderDeps {
  runState: ReadonlySignal<RunState>;
  history: ReadonlySignal<HistoryEntry[]>;
  initialized: ReadonlySignal<boolean>;
  imageOps: Pick<ImageOps, 'makeThumbnail'>;
  emit(message: UiToSandbox): void;
  now(): number;
}

export function recordHistory({ runState, history, initialized, imageOps, emit, now }: RecorderDeps): void {
  /** request id → the placed flags already sent */
  const recorded = new Map<string, boolean[]>();

  const record = async (job: JobState) => {
    const thumbnails = await Promise.all(job.results.map((r) => imageOps.makeThumbnail(r.b64).catch(() => null)));
    const entry = entryOf(job, thumbnails, now());
    emit({ type: 'add-history', entry, images: job.results.map((r) => base64ToBytes(r.b64)) });
    // Placements made while the thumbnails were drawn are sent after the entry; later ones as they happen.
    drawing.delete(job.requestId);
    syncPlaced(job.requestId);
  };

  const syncPlaced = (requestId: string) => {
    const sent = recorded.get(requestId);
    const job = runState.peek().jobs.find((j) => j.requestId === requestId);
    if (!sent || !job) return;
    job.results.forEach((result, index) => {
      if (result.placed && !sent[index]) {
        sent[index] = true;
        emit({ type: 'history-placed', id: requestId, index });
      }
    });
  };

  /** entries whose thumbnails are being drawn: their placements wait for the entry */
  const drawing = new Set<string>();
  effect(() => {
    if (!initialized.value) return;
    const known = new Map(history.peek().map((e) => [e.id, e]));
    for (const job of runState.value.jobs) {
      if (!DELIVERED.has(job.status) || job.results.length === 0) continue;
      const id = job.requestId;
      if (recorded.has(id)) {
        if (!drawing.has(id)) syncPlaced(id);
        continue;
      }
      // Recorded by an earlier panel (a run recovered after it was delivered): only placements are new.
      const stored = known.get(id);
      recorded.set(id, stored ? historyImages(stored).map((image) => image.placed) : job.results.map(() => false));
      if (stored) {
        syncPlaced(id);
        continue;
      }
      drawing.add(id);
      void record(job).catch((error: unknown) => {
        drawing.delete(id);
        console.warn(`[framefill] couldn't keep a run in History: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  });
}
