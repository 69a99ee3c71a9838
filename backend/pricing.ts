// The one price table for gpt-image-2. The backend bills from it; the panel imports it for its
// estimates (never copy these numbers elsewhere). Sources: OpenAI pricing as collected in
// shared/REFERENCE.md — $5 / 1M text-input tokens, $8 / 1M image-input tokens, $30 / 1M
// image-output tokens; per image at 1024×1024 ≈ $0.006 / $0.053 / $0.211 (low / medium / high).

export type Tier = 'low' | 'medium' | 'high';
export const TIERS: readonly Tier[] = ['low', 'medium', 'high'];

export const USD_PER_MILLION = {
  textInput: 5,
  imageInput: 8,
  imageOutput: 30,
} as const;

/** Published per-image price of one 1024×1024 image, by tier. */
export const USD_PER_IMAGE_1024: Readonly<Record<Tier, number>> = {
  low: 0.006,
  medium: 0.053,
  high: 0.211,
};

/** Output tokens of one 1024×1024 image, derived from the per-image price so the two never drift. */
export const OUTPUT_TOKENS_1024: Readonly<Record<Tier, number>> = {
  low: Math.round((USD_PER_IMAGE_1024.low / USD_PER_MILLION.imageOutput) * 1e6),
  medium: Math.round((USD_PER_IMAGE_1024.medium / USD_PER_MILLION.imageOutput) * 1e6),
  high: Math.round((USD_PER_IMAGE_1024.high / USD_PER_MILLION.imageOutput) * 1e6),
};

/**
 * Image-input tokens we assume per reference image. Edits are billed at high input fidelity
 * whatever the tier; the real figure comes back in `usage` and replaces this estimate.
 */
export const INPUT_TOKENS_PER_REFERENCE = 1_500;

/** OpenAI's `usage` block, as far as billing needs it. */
export interface ImageUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  input_tokens_details?: { image_tokens?: number; text_tokens?: number };
}

/** Exact cost in USD of one upstream call, from its `usage`. */
export function costFromUsage(usage: ImageUsage | undefined | null): number {
  if (!usage) return 0;
  const input = nonNegative(usage.input_tokens);
  const imageIn = nonNegative(usage.input_tokens_details?.image_tokens);
  // Without a breakdown, text tokens are whatever input is not image input.
  const textIn = usage.input_tokens_details?.text_tokens !== undefined
    ? nonNegative(usage.input_tokens_details.text_tokens)
    : Math.max(0, input - imageIn);
  const out = nonNegative(usage.output_tokens);
  return roundUsd(
    (textIn * USD_PER_MILLION.textInput + imageIn * USD_PER_MILLION.imageInput + out * USD_PER_MILLION.imageOutput) / 1e6,
  );
}

/**
 * Output tokens for one image of w×h at a tier: the 1024² figure scaled by area. The published
 * prices for 1024×1536 are a little lower than this gives, so estimates err on the safe side.
 */
export function outputTokensFor(tier: Tier, width: number, height: number): number {
  return Math.ceil(OUTPUT_TOKENS_1024[tier] * ((width * height) / (1024 * 1024)));
}

export interface CostQuery {
  tier: Tier;
  width: number;
  height: number;
  /** images requested (n) */
  count: number;
  /** reference images sent with an edit */
  references?: number;
  /** prompt length in characters (≈ 4 per text token) */
  promptChars?: number;
}

/** Estimated cost in USD of one request before it runs. */
export function estimateCost(q: CostQuery): number {
  const out = outputTokensFor(q.tier, q.width, q.height) * Math.max(0, q.count);
  const imageIn = INPUT_TOKENS_PER_REFERENCE * Math.max(0, q.references ?? 0);
  const textIn = Math.ceil((q.promptChars ?? 0) / 4);
  return roundUsd(
    (textIn * USD_PER_MILLION.textInput + imageIn * USD_PER_MILLION.imageInput + out * USD_PER_MILLION.imageOutput) / 1e6,
  );
}

/** Per-image price of a tier at a size, for showing next to the tier control. */
export function pricePerImage(tier: Tier, width = 1024, height = 1024): number {
  return estimateCost({ tier, width, height, count: 1 });
}

function nonNegative(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Money is kept to a millionth of a dollar: exact enough to add up, free of float noise. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
