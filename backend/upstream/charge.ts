// What one call is charged: upstream's `usage` for what was delivered, never trusted as is. The
// charge is bounded below by what the delivered images must have cost (the published output
// tokens at the requested size and quality; a stream cut before an image finished: its partials
// at their token cost and the request's input as estimated) and above by the request's
// reservation (pricing.maxCostMicros), so missing, zero, negative or inflated usage can neither
// make images free nor lock a budget. Every figure is at the model's prices (`basis.book`, its
// PriceBook; gpt-image-2's when absent). Pure: image-call.ts feeds it and logs the anomaly.
import {
  costFromUsage,
  costOfTokens,
  DEFAULT_PRICE_BOOK,
  estimatedInputTokens,
  floorOutputTokens,
  fromMicros,
  abandonedCallTokens,
  PARTIAL_IMAGE_OUTPUT_TOKENS,
  roundUsd,
  toMicros,
  type EstimatedInput,
  type ImageUsage,
  type PriceBook,
  type RequestedImage,
} from '../pricing';
import type { UsageTotals } from '../accounting/usage-ledger';
import { count } from './values';

/** What the request asked for, known before the call: the bounds of its charge. */
export interface ChargeBasis extends RequestedImage, EstimatedInput {
  /** images asked for */
  n: number;
  /** the request's reservation: pricing.maxCostMicros */
  maxMicros: number;
  /** the model's prices (accounting/model-prices.ts); absent → gpt-image-2's */
  book?: PriceBook;
}

/** Upstream's `usage` blocks of a call, added up as reported (bad fields count 0). */
export interface ReportedUsage {
  input_tokens: number;
  output_tokens: number;
  /** at gpt-image-2's prices; chargeFor prices the split below with the model's book */
  cost_usd: number;
  /** the input split as costFromUsage reads it, so the charge can be priced per model */
  text_input_tokens?: number;
  image_input_tokens?: number;
}

export const NO_USAGE: ReportedUsage = { input_tokens: 0, output_tokens: 0, cost_usd: 0, text_input_tokens: 0, image_input_tokens: 0 };

export function addUsage(sum: ReportedUsage, usage: ImageUsage | undefined): ReportedUsage {
  const input = count(usage?.input_tokens);
  const image = count(usage?.input_tokens_details?.image_tokens);
  // As costFromUsage: text tokens as reported, else what the input is beyond its image tokens.
  const text = typeof usage?.input_tokens_details?.text_tokens === 'number' ? count(usage.input_tokens_details.text_tokens) : Math.max(0, input - image);
  return {
    input_tokens: sum.input_tokens + input,
    output_tokens: sum.output_tokens + count(usage?.output_tokens),
    cost_usd: roundUsd(sum.cost_usd + costFromUsage(usage)),
    text_input_tokens: (sum.text_input_tokens ?? 0) + text,
    image_input_tokens: (sum.image_input_tokens ?? 0) + image,
  };
}

/** What upstream's reported usage costs at the model's prices. */
function reportedCost(r: ReportedUsage, book: PriceBook): number {
  if (r.text_input_tokens === undefined || r.image_input_tokens === undefined) return r.cost_usd;
  return costOfTokens({ text: r.text_input_tokens, image: r.image_input_tokens, output: r.output_tokens }, book);
}

/** What reached the client. */
export interface Delivered {
  /** final images: a JSON body's `data` entries, a stream's completed events */
  images: number;
  /** partial images forwarded (streams) */
  partials: number;
  /** of those, the partials of an image whose final never came (the stream was cut) */
  unfinishedPartials: number;
  /** the usage upstream sent with the final images */
  reported: ReportedUsage;
}

export interface Charge {
  totals: UsageTotals;
  /** what was wrong with upstream's account, for the operator's log; null when nothing was */
  anomaly: string | null;
}

/**
 * The charge of a call that delivered `d`. `totals.images` counts every image slot that
 * delivered something (a final image, or partials of one cut short): what the daily image limit
 * counts. Input the usage never covered (a stream cut before its first final image) is the
 * estimate the price table makes.
 */
export function chargeFor(basis: ChargeBasis, d: Delivered): Charge {
  const book = basis.book ?? DEFAULT_PRICE_BOOK;
  const partialTokens = d.unfinishedPartials * PARTIAL_IMAGE_OUTPUT_TOKENS;
  // Completed events carry the input's usage; a stream cut before any did must still pay for it.
  const input = d.images === 0 && d.unfinishedPartials > 0 ? estimatedInputTokens(basis) : { text: 0, image: 0 };
  const ours = costOfTokens({ ...input, output: partialTokens }, book);
  const reported = roundUsd(reportedCost(d.reported, book) + ours);
  const floorTokens = d.images * floorOutputTokens(basis, book);
  const max = fromMicros(basis.maxMicros);
  const floor = Math.min(max, roundUsd(costOfTokens({ output: floorTokens }, book) + ours));
  const cost = Math.min(max, Math.max(floor, reported));

  const anomalies: string[] = [];
  if (d.images > basis.n) anomalies.push(`${d.images} images delivered for n=${basis.n}`);
  if (toMicros(reported) < toMicros(floor)) anomalies.push(`usage said $${reported} for ${d.images} image(s), below the published $${floor}: charged $${cost}`);
  if (toMicros(reported) > basis.maxMicros) anomalies.push(`usage said $${reported}, above the request's maximum $${max}: charged the maximum`);

  // Token counts follow the charge: never below what the floor assumed, never beyond what the
  // reservation could pay for at the cheapest token price (an inflated count stays a safe integer).
  const tokenCap = Math.floor(basis.maxMicros / Math.min(book.usdPerMillion.textInput, book.usdPerMillion.imageInput, book.usdPerMillion.imageOutput));
  const inputTokens = Math.min(tokenCap, d.reported.input_tokens + input.text + input.image);
  const outputTokens = Math.min(tokenCap, Math.max(d.reported.output_tokens, floorTokens) + partialTokens);
  return {
    totals: {
      images: d.images + (d.unfinishedPartials > 0 ? 1 : 0),
      partial_images: d.partials,
      requests: 1,
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      cost_usd: cost,
    },
    anomaly: anomalies.length > 0 ? anomalies.join('; ') : null,
  };
}

/**
 * The charge of a non-stream call its client abandoned after it went upstream: the documented
 * minimum (pricing.abandonedCallTokens), within the reservation. Nothing was delivered, so no
 * image counts.
 */
export function abandonedCharge(basis: ChargeBasis): UsageTotals {
  const book = basis.book ?? DEFAULT_PRICE_BOOK;
  const tokens = abandonedCallTokens(basis, book);
  return {
    images: 0,
    partial_images: 0,
    requests: 1,
    input_tokens: tokens.text + tokens.image,
    output_tokens: tokens.output,
    cost_usd: Math.min(fromMicros(basis.maxMicros), costOfTokens(tokens, book)),
  };
}
