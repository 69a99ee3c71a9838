// What a run will cost before it starts, and what it did cost after. Every number comes from
// backend/pricing.ts (the one price table); this module only adds up and tracks estimate vs actual.
import { estimateCost, roundUsd, type PriceBook, type Tier } from '../../backend/pricing';
import type { Size } from '../../backend/size-rules';
import { previewsPerImage } from './previews';

export interface RequestCostQuery {
  tier: Tier;
  size: Size;
  /** images requested */
  n: number;
  /** images sent with an edit (the target's export plus pinned references) */
  references: number;
  promptChars?: number;
  /** the chosen model's prices (default: gpt-image-2's published ones, the default ceilings) */
  book?: PriceBook;
}

/** A Now request, as the panel sends it: streamed, with its tier's previews (each billed). */
export function requestEstimate(q: RequestCostQuery): number {
  const partialImages = previewsPerImage(q.tier);
  return estimateCost({ tier: q.tier, width: q.size.width, height: q.size.height, count: q.n, references: q.references, promptChars: q.promptChars, partialImages, book: q.book });
}

export function sumUsd(values: number[]): number {
  return roundUsd(values.reduce((a, b) => a + b, 0));
}

/** A request's cost: the estimate until the backend reports what it billed. */
export interface CostState {
  estimateUsd: number;
  actualUsd: number | null;
}

export function estimated(estimateUsd: number): CostState {
  return { estimateUsd, actualUsd: null };
}

/** Records the billed amount; an unknown amount keeps the estimate. */
export function settle(state: CostState, actualUsd: number | null | undefined): CostState {
  return typeof actualUsd === 'number' && Number.isFinite(actualUsd) && actualUsd >= 0 ? { ...state, actualUsd } : state;
}

export function shownUsd(state: CostState): { usd: number; actual: boolean } {
  return state.actualUsd === null ? { usd: state.estimateUsd, actual: false } : { usd: state.actualUsd, actual: true };
}

/** Total over requests; `actual` only when every request has reported its bill. */
export function totalCost(states: CostState[]): { usd: number; actual: boolean } {
  const shown = states.map(shownUsd);
  return { usd: sumUsd(shown.map((s) => s.usd)), actual: shown.length > 0 && shown.every((s) => s.actual) };
}

export interface SpendItem {
  cost: CostState;
  /** still being made: its estimate is what it will likely cost */
  active: boolean;
  /** its images arrived: paid, billed amount known or not */
  delivered: boolean;
}

/**
 * What the requests shown have cost: billed amounts, plus estimates only for requests still
 * going or delivered without a bill. Failed and cancelled requests count only what they were
 * billed. Null when nothing was spent (every request failed, say).
 */
export function spendSoFar(items: SpendItem[]): { usd: number; actual: boolean } | null {
  const counted = items.filter((i) => i.cost.actualUsd !== null || i.active || i.delivered);
  if (counted.length === 0) return null;
  const total = totalCost(counted.map((i) => i.cost));
  return total.actual && total.usd === 0 ? null : total;
}

/** The billed amount from the response: the body's `framefill.cost_usd`, else the cost header. */
export function billedUsd(bodyCost: number | null | undefined, header: string | null | undefined): number | null {
  if (typeof bodyCost === 'number' && Number.isFinite(bodyCost) && bodyCost >= 0) return bodyCost;
  if (header === null || header === undefined || header.trim() === '') return null;
  const parsed = Number(header);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}
