// What the team actually pays per image, learned: every settled call whose output tokens are
// known adds its output tokens per megapixel to counters of its model × quality in the shared
// store (all instances learn together; keys in store/keys.ts, 90-day TTL). GET /v1/models serves
// the mean once there are LEARNED_MIN_RUNS runs; the reservation of the unpublished tiers (xhigh,
// max) holds at least LEARNED_RESERVE_FACTOR × that mean, so a ceiling set too low cannot let a
// request overshoot its budget by much. Learning is best effort: it never fails a request.
import { findModel, type ModelInfo } from '../models';
import { isPublishedTier, PARTIAL_IMAGE_OUTPUT_TOKENS, TIERS, type PriceBook, type Tier } from '../pricing';
import type { Store } from '../store';
import { LEARNED_TTL_SECONDS, storeKeys } from '../store/keys';

/** Runs of a model × quality before its learned mean is used. */
export const LEARNED_MIN_RUNS = 3;
/** Reservations of xhigh/max hold at least this multiple of the learned mean (images vary). */
export const LEARNED_RESERVE_FACTOR = 1.5;

const PIXELS_PER_MP = 1_000_000;
const PIXELS_1024 = 1024 * 1024;

/** One settled call, as learning sees it. */
export interface OutputSample {
  /** catalog id (a snapshot counts as its model) */
  model: string;
  quality: Tier;
  width: number;
  height: number;
  /** final images delivered */
  images: number;
  /** output tokens of those images, partial images excluded */
  outputTokens: number;
}

/** What a model × quality has taught so far. */
export interface Learned {
  runs: number;
  /** mean output tokens of one 1024×1024 image; 0 without runs */
  outputTokens1024: number;
}

export type LearnedByTier = Readonly<Record<Tier, Learned>>;

/** What a settled call tells (image-job.ts gathers it). */
export interface SettledCall {
  /** as the request asked it (a snapshot or a catalog id) */
  model: string;
  askedQuality: Tier | 'auto' | undefined;
  askedSize: string | undefined;
  /** the quality and size the response reports (auto resolved), when known */
  reportedQuality?: unknown;
  reportedSize?: unknown;
  /** final images delivered */
  images: number;
  /** partial images forwarded: their tokens are in a stream's usage and come off */
  partialImages: number;
  /** output tokens of the call (usage), or undefined when unknown */
  outputTokens: number | undefined;
}

function pixelsOf(size: unknown): { width: number; height: number } | null {
  const match = typeof size === 'string' ? /^(\d+)x(\d+)$/.exec(size) : null;
  return match ? { width: Number(match[1]), height: Number(match[2]) } : null;
}

/** The sample a settled call gives, or null when its quality, size or tokens are unknown. */
export function sampleOf(call: SettledCall): OutputSample | null {
  const model = findModel(call.model);
  if (!model || call.images < 1 || call.outputTokens === undefined) return null;
  const asked = call.askedQuality === undefined || call.askedQuality === 'auto' ? null : call.askedQuality;
  const reported = typeof call.reportedQuality === 'string' && model.tiers.includes(call.reportedQuality as Tier) ? (call.reportedQuality as Tier) : null;
  const quality = asked ?? reported;
  const size = pixelsOf(call.askedSize) ?? pixelsOf(call.reportedSize);
  if (quality === null || size === null) return null;
  const outputTokens = call.outputTokens - call.partialImages * PARTIAL_IMAGE_OUTPUT_TOKENS;
  if (outputTokens <= 0) return null;
  return { model: model.id, quality, ...size, images: call.images, outputTokens };
}

/** Adds a sample to the shared counters. Never throws: a store failure is reported to `onError`. */
export async function recordOutput(store: Store, sample: OutputSample, onError: (err: unknown) => void): Promise<void> {
  const perMp = Math.round(sample.outputTokens / sample.images / ((sample.width * sample.height) / PIXELS_PER_MP));
  if (!Number.isSafeInteger(perMp) || perMp <= 0) return;
  try {
    // Tokens first: a failure between the two leaves the mean high, the safe side.
    await store.add(storeKeys.learnedTokensPerMp(sample.model, sample.quality), perMp, LEARNED_TTL_SECONDS);
    await store.add(storeKeys.learnedRuns(sample.model, sample.quality), 1, LEARNED_TTL_SECONDS);
  } catch (err) {
    onError(err);
  }
}

/** The learned figures of a model's tiers (runs 0 where nothing was learned). Throws store errors. */
export async function readLearned(store: Store, model: ModelInfo): Promise<LearnedByTier> {
  const keys = TIERS.flatMap((t) => [storeKeys.learnedRuns(model.id, t), storeKeys.learnedTokensPerMp(model.id, t)]);
  const values = await store.getMany(keys);
  const out = {} as Record<Tier, Learned>;
  TIERS.forEach((t, i) => {
    const runs = Math.max(0, values[2 * i] ?? 0);
    const sum = Math.max(0, values[2 * i + 1] ?? 0);
    out[t] = { runs, outputTokens1024: runs > 0 ? Math.round(((sum / runs) * PIXELS_1024) / PIXELS_PER_MP) : 0 };
  });
  return out;
}

/** Whether a tier's learned mean is used (enough runs). */
export function isLearned(l: Learned | undefined): l is Learned {
  return l !== undefined && l.runs >= LEARNED_MIN_RUNS && l.outputTokens1024 > 0;
}

/**
 * The book a reservation holds: published tiers as published; xhigh/max at the larger of the
 * ceiling and LEARNED_RESERVE_FACTOR × the learned mean.
 */
export function reservationBook(book: PriceBook, learned: LearnedByTier): PriceBook {
  const outputTokens1024 = { ...book.outputTokens1024 };
  for (const t of TIERS) {
    const l = learned[t];
    if (isPublishedTier(t) || !isLearned(l)) continue;
    outputTokens1024[t] = Math.max(book.outputTokens1024[t], Math.ceil(LEARNED_RESERVE_FACTOR * l.outputTokens1024));
  }
  return { usdPerMillion: book.usdPerMillion, outputTokens1024 };
}
