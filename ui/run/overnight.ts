// Overnight runs (issue 16): Run with "When: Overnight" sends the plan's jobs to the backend as one
// batch — or several, when edits' images need more than one request (batch-chunks.ts) — after
// exporting edits' references as a run now would, and the file records each.
// Whenever the panel opens in that file, finished items are fetched from their stored results
// (GET /v1/results/{id}: never a new request, never a new charge) and placed, one undo step each;
// failed or expired ones are reported; History gets one entry for the Run (its batches summed) at
// the actual cost.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { Tier } from '../../backend/pricing';
import { ERROR_CODES, type Batch, type BatchItem } from '../../backend/contract';
import { HISTORY_IMAGES, type Draft, type HistoryEntry, type HistoryImage, type ScheduledBatch, type ScheduledItem } from '../../plugin/messages';
import { BackendError } from '../lib/backend-error';
import { batchChunker, batchEditBudget, DEFAULT_BATCH_MAX_ITEMS } from '../lib/batch-chunks';
import { sumUsd } from '../lib/cost-estimate';
import { describeError } from '../lib/error-messages';
import { plural } from '../lib/format';
import { base64ImageInfo, base64ToBytes, bytesToBase64 } from '../lib/image-bytes';
import type { Plan } from '../lib/plan';
import type { BatchState } from '../lib/scheduled-rows';
import {
  DEFAULT_BATCH_DISCOUNT,
  runHistoryEntry,
  batchItemOf,
  collection,
  landedText,
  scheduleSignature,
  scheduledBatchOf,
  scheduledItemOf,
  scheduledText,
} from '../lib/overnight-plan';
import type { RunDeps } from './context';
import { editUploads } from './execute';
import { specFromPlan } from './job';
import { layerName } from './placement';

type OvernightRetry = NonNullable<Draft['overnightRetry']>;

export type OvernightDeps = Pick<RunDeps, 'requester' | 'client' | 'imageOps' | 'newId' | 'now' | 'uploadBudget' | 'emit'> & {
  history: ReadonlySignal<HistoryEntry[]>;
};

export function createOvernight(deps: OvernightDeps) {
  const batches = signal<BatchState[]>([]);
  const scheduling = signal(false);
  /** the last thing that happened, for the Scheduled list's status line */
  const status = signal('');
  /** the backend's batch discount, once GET /v1/models or any batch has told it */
  const discount = signal(DEFAULT_BATCH_DISCOUNT);
  /** items one batch may hold, once GET /v1/models has told it */
  let maxItems = DEFAULT_BATCH_MAX_ITEMS;
  /** items this user placed (the sandbox's clientStorage markers, and this session's) */
  const placed = new Set<string>();
  /** batches whose images and charge History already has (this session), and the Run entries written */
  const counted = new Set<string>();
  const runEntries = new Map<string, HistoryEntry>();
  /** the first item of each batch, for History's entry after the file's record has shrunk */
  const firsts = new Map<string, ScheduledItem>();
  /** the last scheduling that did not go through whole: its plan, key and item ids, reused by a Run of the same plan (kept in the draft) */
  const unanswered = signal<OvernightRetry | null>(null);

  /**
   * Frames with an overnight image still on the way: scheduled, not placed, not reported failed.
   * `placed` is no signal: it is read again whenever `batches` changes, which every placing does.
   */
  const waitingTargets = computed(() => new Set(batches.value.flatMap((b) => b.record.items.flatMap((i) => (i.targetId && !placed.has(i.id) ? [i.targetId] : [])))));

  const update = (id: string, change: Partial<BatchState>) => {
    batches.value = batches.value.map((b) => (b.record.id === id ? { ...b, ...change } : b));
  };
  const seen = (view: Batch) => {
    discount.value = view.discount;
    update(view.id, { view, problem: null });
  };
  const say = (text: string) => {
    status.value = text;
    deps.emit({ type: 'notify', message: text.slice(0, 500) });
  };

  async function schedule(plan: Plan, prompt: string, tier: Tier): Promise<void> {
    if (scheduling.peek()) return;
    scheduling.value = true;
    status.value = '';
    try {
      const specs = plan.jobs.map((job) => specFromPlan(job, job.prompt || prompt, tier));
      // Run again on the same plan after no answer came: the same key and item ids, so a batch the
      // backend did make is answered again (200, the same batch), not made and charged twice.
      const signature = scheduleSignature(specs);
      const again = unanswered.peek()?.signature === signature ? unanswered.peek() : null;
      const ids = again?.ids ?? specs.map(() => deps.newId());
      const key = again?.key ?? deps.newId();
      unanswered.value = { signature, key, ids };
      const notes: string[] = [];
      const sent: Batch[] = [];
      /** specs scheduled so far (the requests sent hold them in order) */
      let from = 0;
      // What went before is scheduled (and reserved): it stays on the list; the rest is said plainly.
      const partly = (error: unknown) => {
        status.value = [scheduledText(sent), `The other ${plural(specs.length - from, 'image')} couldn't be scheduled: ${describeError(error).message}`, ...notes].join(' ');
      };
      /** Sends one request's items as their own batch; false when it was refused (and said so). */
      const send = async (chunk: BatchItem[]): Promise<boolean> => {
        const range = specs.slice(from, from + chunk.length).map((spec, i) => ({ spec, id: ids[from + i]!, usd: plan.jobs[from + i]!.estimateUsd }));
        let view: Batch;
        try {
          // One key per request: a retry after a lost answer gets the batch already made, not a second.
          view = await deps.client().submitBatch(chunk, `${key}.${sent.length}`);
        } catch (error) {
          // The backend holds other items under this key (the canvas changed since): the next Run is a new scheduling.
          if (error instanceof BackendError && error.code === ERROR_CODES.idempotencyKeyReused) unanswered.value = null;
          if (sent.length === 0) throw error;
          partly(error);
          return false;
        }
        const record = scheduledBatchOf(view, range.map(({ spec, id }) => scheduledItemOf(id, spec)), sumUsd(range.map((r) => r.usd)), key);
        firsts.set(record.id, record.items[0]!);
        deps.emit({ type: 'schedule-batch', batch: record });
        // (a batch answered again after a lost answer replaces its entry)
        batches.value = [...batches.value.filter((b) => b.record.id !== record.id), { record, view, problem: null }];
        discount.value = view.discount;
        sent.push(view);
        from += chunk.length;
        return true;
      };
      // Edits' images travel as base64 in the JSON (4/3 the bytes): each edit gets a share of one
      // request, never below a floor that keeps references usable. Each request goes as soon as it
      // is full (batch-chunks.ts), so a 200-frame restyle holds one request's images at a time.
      const edits = specs.filter((spec) => spec.kind === 'edit').length;
      const share = { ...deps, uploadBudget: batchEditBudget(deps.uploadBudget, edits) };
      const chunker = batchChunker<BatchItem>(deps.uploadBudget, maxItems);
      try {
        // One at a time: exports go through the sandbox's single canvas queue anyway.
        for (const [i, spec] of specs.entries()) {
          const uploads = spec.kind === 'edit' ? await editUploads(share, spec, new AbortController().signal, (note) => notes.push(note)) : undefined;
          const full = chunker.add(batchItemOf(ids[i]!, spec, uploads && { images: uploads.images.map((image) => bytesToBase64(image.bytes)), mask: uploads.mask ? bytesToBase64(uploads.mask) : null }));
          if (full && !(await send(full))) return;
        }
        const last = chunker.rest();
        if (last && !(await send(last))) return;
      } catch (error) {
        // An export that failed after some requests went: those stay scheduled, as above.
        if (sent.length === 0) throw error;
        partly(error);
        return;
      }
      status.value = [scheduledText(sent), ...notes].join(' ');
      unanswered.value = null;
    } catch (error) {
      status.value = `Couldn't schedule the overnight run: ${describeError(error).message}`;
    } finally {
      scheduling.value = false;
    }
  }

  /** Fetches and places what finished; reports what failed; History's entry once the batch is over. */
  async function collect(entry: BatchState, view: Batch): Promise<{ placed: number; failed: { why: string | null }[] }> {
    const { record } = entry;
    const plan = collection(record, view, placed);
    const dropped = [...plan.drop];
    /** the first of the images placed, as many as History keeps (with their bytes), and how many there were */
    const images: HistoryImage[] = [];
    const bytes: (Uint8Array<ArrayBuffer> | null)[] = [];
    let delivered = 0;
    let count = 0;
    for (const item of plan.place) {
      const answer = await deps.client().result(item.id);
      if (answer.status === 'gone') {
        // OpenAI made it (the batch says so) and it was charged; only the backend's copy is gone.
        dropped.push({ item, paid: true, why: answer.notKept ? 'it ran out of room for results — tell whoever runs it' : 'its copy expired: results are kept at least 7 days' });
        continue;
      }
      if (answer.status !== 'done') continue; // stored a moment later: the next open places it
      const b64 = answer.result.images[0]!;
      const info = base64ImageInfo(b64);
      if (!info || info.format === 'webp') {
        dropped.push({ item, why: 'the backend sent an image Figma cannot read' });
        continue;
      }
      const itemCost = view.items.find((i) => i.id === item.id)?.cost_usd ?? 0;
      const reply = await deps.requester.place({
        type: 'place-scheduled',
        batchId: record.id,
        itemId: item.id,
        image: { bytes: base64ToBytes(b64), width: info.width, height: info.height },
        name: layerName(item.prompt),
        provenance: {
          prompt: item.prompt,
          tier: item.tier,
          size: item.size,
          model: answer.result.model ?? item.model,
          costUsd: itemCost,
          createdAt: Math.floor(deps.now()),
          referenceIds: item.referenceIds,
          requestId: item.id,
          ...(item.transparent ? { transparent: true } : {}),
        },
      });
      placed.add(item.id);
      if (reply.nodeIds.length > 0) count++;
      delivered++;
      // History keeps 10 images a run: no thumbnail, and no copy, for the rest of a 200-frame run.
      if (images.length < HISTORY_IMAGES) {
        images.push({ imageHash: reply.imageHash, thumbnail: await deps.imageOps.makeThumbnail(b64).catch(() => null), placed: true });
        bytes.push(base64ToBytes(b64));
      }
    }
    const failed = dropped.filter((d) => d.why !== null);
    if (dropped.length) deps.emit({ type: 'drop-scheduled', batchId: record.id, itemIds: dropped.map((d) => d.item.id) });
    const waiting = record.items.filter((i) => !placed.has(i.id) && !dropped.some((d) => d.item.id === i.id));
    if (plan.finished && waiting.length === 0) {
      const first = firsts.get(record.id) ?? record.items[0];
      // One History entry per Run: each of its batches adds its images and what the backend charged.
      if (first && delivered > 0 && !counted.has(view.id)) {
        counted.add(view.id);
        const id = record.run ?? view.id;
        // (this session's own entry first: the sandbox's answer to the last add may not be here yet)
        const earlier = runEntries.get(id) ?? deps.history.peek().find((e) => e.id === id);
        const { entry: historyEntry, newFrom } = runHistoryEntry(id, view, images, delivered, first, deps.now(), earlier);
        runEntries.set(id, historyEntry);
        // bytes line up with the entry's images: the earlier batches' come first (and have theirs)
        deps.emit({ type: 'add-history', entry: historyEntry, images: [...Array<null>(newFrom).fill(null), ...bytes].slice(0, HISTORY_IMAGES) });
      }
      batches.value = batches.value.filter((b) => b.record.id !== record.id);
    } else {
      update(record.id, { record: { ...record, items: waiting }, view });
    }
    return { placed: count, failed };
  }

  /** Looks each batch up and lands what finished; one pass at a time. */
  let checking = false;
  async function check(entries: BatchState[]): Promise<void> {
    if (checking) return;
    checking = true;
    let landed = 0;
    const failed: { why: string | null }[] = [];
    try {
      for (const entry of entries) {
        try {
          const view = await deps.client().batch(entry.record.id);
          if (!view) {
            update(entry.record.id, { problem: "The backend doesn't know this batch — it was scheduled with another access token, or is older than the backend keeps batches." });
            continue;
          }
          seen(view);
          const current = batches.peek().find((b) => b.record.id === entry.record.id) ?? entry;
          const outcome = await collect(current, view);
          landed += outcome.placed;
          failed.push(...outcome.failed);
        } catch (error) {
          update(entry.record.id, { problem: `Couldn't check it: ${describeError(error).message}` });
        }
      }
    } finally {
      checking = false;
    }
    if (landed || failed.length) say(landedText(landed, failed));
  }

  /** On every open: each batch of the file is looked up, and what finished lands. */
  async function load(records: ScheduledBatch[], placedIds: string[]): Promise<void> {
    for (const id of placedIds) placed.add(id);
    for (const record of records) if (record.items[0]) firsts.set(record.id, record.items[0]);
    batches.value = records.map((record) => ({ record, view: null, problem: null }));
    await check(batches.peek());
  }

  /** While the panel stays open: batches still running are looked at again (progress, and what finished lands). */
  async function refresh(): Promise<void> {
    // An Undo since the last look may have taken a scheduled batch out of the file: the sandbox puts it back.
    deps.emit({ type: 'reconcile-scheduled' });
    await check(batches.peek().filter((b) => b.view === null || b.view.status === 'in_progress' || b.view.status === 'cancelling'));
  }

  /** Cancels a run's batches (upstream too) and says once what that left. */
  async function cancel(batchIds: readonly string[]): Promise<void> {
    let cancelled = 0;
    let unknown = 0;
    let finished = 0;
    let landed = 0;
    for (const batchId of batchIds) {
      const entry = batches.peek().find((b) => b.record.id === batchId);
      if (!entry) continue;
      try {
        const view = await deps.client().cancelBatch(batchId);
        if (!view) {
          deps.emit({ type: 'drop-scheduled', batchId, itemIds: null });
          batches.value = batches.value.filter((b) => b.record.id !== batchId);
          unknown++;
          continue;
        }
        seen(view);
        const outcome = await collect(entry, view);
        cancelled++;
        finished += view.items.filter((i) => i.status === 'succeeded').length;
        landed += outcome.placed;
      } catch (error) {
        update(batchId, { problem: `Couldn't cancel it: ${describeError(error).message}` });
      }
    }
    if (cancelled > 0) {
      say(`Cancelled the overnight run${finished ? ` — ${finished} finished before and ${finished === 1 ? 'was' : 'were'} kept` : ''}.${landed ? ` ${landedText(landed, [])}.` : ''}`);
    } else if (unknown > 0) {
      status.value = 'The backend no longer knew that batch; it was taken off the list.';
    }
  }

  return {
    batches: batches as ReadonlySignal<BatchState[]>,
    waitingTargets: waitingTargets as ReadonlySignal<ReadonlySet<string>>,
    scheduling: scheduling as ReadonlySignal<boolean>,
    status: status as ReadonlySignal<string>,
    discount: discount as ReadonlySignal<number>,
    unanswered: unanswered as ReadonlySignal<OvernightRetry | null>,
    /** the scheduling the draft kept from an earlier panel, which got no answer */
    resume(saved: OvernightRetry) {
      unanswered.value = saved;
    },
    schedule,
    load,
    refresh,
    cancel,
    /** the deployment's discount as GET /v1/models lists it (before any batch has run) */
    knowDiscount(value: number) {
      if (value > 0 && value <= 1) discount.value = value;
    },
    /** the deployment's items per batch as GET /v1/models lists it: a larger run goes as several batches */
    knowMaxItems(value: number) {
      if (Number.isInteger(value) && value > 0) maxItems = value;
    },
    /** the sandbox's answer to a schedule-batch: a batch it could not keep in the file */
    sandboxSaid(problem: string | undefined) {
      if (problem) status.value = `${status.peek()} ${problem}`.trim();
    },
  };
}
