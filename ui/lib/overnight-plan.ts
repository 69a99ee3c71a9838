// Overnight runs (issue 16), the pure part: the batch price, a plan's jobs as batch items and as
// the file's record of them, what to do with a batch the backend reports on, and the lines the
// user reads. No I/O: ui/run/overnight.ts does the talking.
import type { Batch, BatchItem } from '../../backend/contract';
import { roundUsd } from '../../backend/pricing';
import { HISTORY_IMAGES, type HistoryEntry, type HistoryImage, type ScheduledBatch, type ScheduledItem } from '../../plugin/messages';
import type { JobSpec } from '../run/job';
import { sumUsd } from './cost-estimate';
import { formatUsd, plural } from './format';

/**
 * Batch price ÷ synchronous price before the backend has said (FRAMEFILL_BATCH_DISCOUNT's default:
 * OpenAI bills Batch API work at half price). Every batch the backend reports carries its own
 * `discount`, which then replaces this.
 */
export const DEFAULT_BATCH_DISCOUNT = 0.5;

/** What a plan costs overnight: its Now price without the stream previews a batch doesn't make, at the discount. */
export function batchUsd(plan: { totalUsd: number; previewUsd: number }, discount: number): number {
  return roundUsd(Math.max(0, plan.totalUsd - plan.previewUsd) * discount);
}

/**
 * What identifies a plan's scheduling (its jobs as sent): two Runs of the same plan have the same
 * signature. A short hash (FNV-1a, two 32-bit lanes), as the draft keeps it across panel opens; a
 * collision can at worst reuse a key for other items, which the backend refuses (409).
 */
export function scheduleSignature(specs: readonly JobSpec[]): string {
  const text = JSON.stringify(specs);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** "half price", "40% off" */
export function discountWords(discount: number): string {
  return discount === 0.5 ? 'half price' : `${Math.round((1 - discount) * 100)}% off`;
}

/** Why a plan can't go overnight, or null: what Run's bar says instead. */
export function overnightProblem(plan: { jobs: { n: number }[] }, lookLocked: boolean): string | null {
  // Lock the look sends the first result with the rest: a batch has no "first".
  if (lookLocked) return 'Lock the look needs its first image before the rest — run it Now.';
  // Each item's first image is what lands in its frame; more would be paid for and never placed.
  if (plan.jobs.some((j) => j.n > 1)) return 'Overnight makes one image per frame — set Variations to 1.';
  return null;
}

/** How many of the plan's frames already have an overnight image on the way (`waiting`: their target ids). */
export function framesOnTheWay(plan: { jobs: { target: { id: string } | null }[] }, waiting: ReadonlySet<string>): { count: number; of: number } {
  const targets = plan.jobs.flatMap((j) => (j.target ? [j.target.id] : []));
  return { count: targets.filter((id) => waiting.has(id)).length, of: targets.length };
}

const theseFrames = ({ count, of }: { count: number; of: number }) =>
  of === 1 ? 'This frame already has' : count === of ? `These ${count} frames already have` : `${count} of these ${of} frames already have`;

/**
 * Why Overnight can't take these frames again, or null: a second batch would be paid for too, and
 * its image would replace the first when both land.
 */
export function onTheWayProblem(frames: { count: number; of: number }): string | null {
  if (frames.count === 0) return null;
  const undo = frames.count === frames.of ? `cancel that run under Scheduled to schedule ${frames.of === 1 ? 'it' : 'them'} again` : 'deselect them, or cancel that run under Scheduled';
  return `${theseFrames(frames)} an overnight image on the way — ${undo}.`;
}

/** What running these frames Now means while their overnight image is still coming, or null. */
export function onTheWayNote(frames: { count: number; of: number }): string | null {
  if (frames.count === 0) return null;
  return `${theseFrames(frames)} an overnight image on the way: when it lands, it replaces what this run makes. Cancel it under Scheduled to keep this one.`;
}

/** One job as a batch item; an edit's images (target first) and mask as base64. */
export function batchItemOf(id: string, spec: JobSpec, uploads?: { images: string[]; mask: string | null }): BatchItem {
  return {
    id,
    kind: spec.kind === 'edit' ? 'edit' : 'generation',
    prompt: spec.prompt,
    model: spec.model,
    quality: spec.tier,
    size: spec.size,
    n: spec.n,
    // Transparency needs PNG (Figma can't place WebP; JPEG has no alpha).
    output_format: spec.transparent ? 'png' : spec.outputFormat,
    ...(spec.transparent ? { background: 'transparent' } : {}),
    ...(uploads ? { images: uploads.images, ...(uploads.mask ? { mask: uploads.mask } : {}) } : {}),
  };
}

/** One job as the file keeps it until its result is placed (the sandbox adds the target's place). */
export function scheduledItemOf(id: string, spec: JobSpec): ScheduledItem {
  return {
    id,
    kind: spec.kind,
    targetId: spec.targetId,
    targetName: spec.targetName,
    place: null,
    prompt: spec.prompt,
    model: spec.model,
    tier: spec.tier,
    size: spec.size,
    variations: spec.n,
    referenceIds: spec.referenceIds,
    ...(spec.transparent ? { transparent: true } : {}),
  };
}

export function scheduledBatchOf(batch: Batch, items: ScheduledItem[], nowUsd: number, run: string): ScheduledBatch {
  return { id: batch.id, createdAt: batch.created_at * 1000, discount: batch.discount, reservedUsd: batch.reserved_usd, nowUsd, items, run };
}

const FINAL: ReadonlySet<Batch['status']> = new Set(['completed', 'cancelled', 'expired', 'failed']);

/** An item that will never be placed, and why (null: placed before, nothing to say). */
export interface Dropped {
  item: ScheduledItem;
  why: string | null;
  /** it was made and charged, but its image is no longer on the backend */
  paid?: boolean;
}

export interface Collection {
  /** succeeded, not placed by this user yet: fetch and place */
  place: ScheduledItem[];
  /** will never be placed: failed, expired, cancelled (or, with `placed`, already placed earlier) */
  drop: Dropped[];
  /** the batch is over and nothing of it is left waiting: History gets its entry */
  finished: boolean;
}

/** What to do with the file's record of a batch, given the backend's view of it and what this user already placed. */
export function collection(record: ScheduledBatch, view: Batch, placed: ReadonlySet<string>): Collection {
  const status = new Map(view.items.map((i) => [i.id, i]));
  const out: Collection = { place: [], drop: [], finished: false };
  for (const item of record.items) {
    const seen = status.get(item.id);
    if (placed.has(item.id)) out.drop.push({ item, why: null }); // back in the file after an Undo: never placed again
    else if (seen?.status === 'succeeded') out.place.push(item);
    else if (seen && seen.status !== 'pending') out.drop.push({ item, why: seen.error?.message ?? seen.status });
    else if (!seen) out.drop.push({ item, why: 'the backend has no record of it' });
  }
  out.finished = FINAL.has(view.status);
  return out;
}

/**
 * "6 overnight images placed" (and what didn't make it): what OpenAI never made is not charged;
 * what it made but the backend no longer holds was paid for, and is said so.
 */
export function landedText(placed: number, failed: Pick<Dropped, 'why' | 'paid'>[]): string {
  const parts: string[] = [];
  if (placed) parts.push(`${plural(placed, 'overnight image')} placed`);
  const reasons = (of: typeof failed) => [...new Set(of.map((f) => f.why).filter((w): w is string => w !== null))].slice(0, 2).join('; ');
  const unmade = failed.filter((f) => !f.paid && f.why !== null);
  const lost = failed.filter((f) => f.paid && f.why !== null);
  if (unmade.length) parts.push(`${plural(unmade.length, 'overnight image')} didn't come back (${reasons(unmade)}) — not charged`);
  if (lost.length) parts.push(`${plural(lost.length, 'overnight image')} ${lost.length === 1 ? 'was' : 'were'} made and charged, but the backend no longer has ${lost.length === 1 ? 'it' : 'them'} (${reasons(lost)})`);
  return parts.join(' · ');
}

/**
 * What one Run scheduled: one batch, or several when its images needed more than one request or
 * more items than one batch holds. "Scheduled 6 images overnight · $0.16 reserved (half price) —
 * placed when this file is next opened."
 */
export function scheduledText(batches: readonly Batch[]): string {
  const images = batches.reduce((n, b) => n + b.items.length, 0);
  const reserved = sumUsd(batches.map((b) => b.reserved_usd));
  const split = batches.length > 1 ? ` in ${batches.length} batches` : '';
  return `Scheduled ${plural(images, 'image')} overnight${split} · ${formatUsd(reserved)} reserved (${discountWords(batches[0]?.discount ?? DEFAULT_BATCH_DISCOUNT)}) — placed when this file is next opened.`;
}

/** A batch's one line in the Scheduled list. */
export function progressText(view: Batch | null): string {
  if (!view) return 'Waiting for the backend…';
  const { total, completed, failed } = view.progress;
  const words: Record<Batch['status'], string> = {
    in_progress: `${completed} of ${total} done`,
    cancelling: 'Cancelling…',
    completed: 'Done — placing',
    cancelled: 'Cancelled',
    expired: 'Expired',
    failed: 'Failed',
  };
  return `${words[view.status]}${failed ? ` · ${failed} failed` : ''}`;
}

/**
 * History's one entry for an overnight Run (id: the Run's key), as its batches finish: a Run split
 * into several batches adds each one's images and charge to the same entry (`earlier`), so a
 * 200-frame Run is one line that says how many images it made and what they cost, all of them.
 * `newFrom`: where this batch's images start among the entry's (their bytes go there).
 */
export function runHistoryEntry(id: string, view: Batch, images: HistoryImage[], delivered: number, first: ScheduledItem, now: number, earlier?: HistoryEntry): { entry: HistoryEntry; newFrom: number } {
  const before = earlier?.overnight ? (earlier.images ?? []) : [];
  const made = (earlier?.overnight ? (earlier.made ?? before.length) : 0) + delivered;
  const kept = [...before, ...images].slice(0, HISTORY_IMAGES);
  const entry: HistoryEntry = {
    id,
    prompt: first.prompt,
    tier: first.tier,
    size: first.size,
    model: first.model,
    variations: Math.max(1, kept.length),
    costUsd: roundUsd((earlier?.overnight ? earlier.costUsd : 0) + view.cost_usd),
    createdAt: Math.floor(now),
    nodeIds: [],
    imageHash: null,
    thumbnail: null,
    images: kept,
    overnight: true,
    ...(made > kept.length ? { made } : {}),
    ...(first.transparent ? { transparent: true } : {}),
  };
  return { entry, newFrom: Math.min(before.length, HISTORY_IMAGES) };
}
