// A plausible `usage` block, priced with the product's own table so cost accounting can be
// checked end to end against the fake. xhigh and max have no published price: the fake makes them
// dearer than high but below the backend's default ceilings, so a charge settled from `usage`
// visibly differs from the reservation's estimate.
import { INPUT_TOKENS_PER_REFERENCE, isPublishedTier, outputTokensFor, partialImageTokens, type Tier } from '../../backend/pricing.js';

/** Output tokens of one 1024² image at the unpublished tiers (high is about 7,000). */
export const FAKE_OUTPUT_TOKENS_1024 = { xhigh: 12_000, max: 22_000 } as const;

/** Output tokens the fake bills for one w×h image: published tiers from pricing.ts, scaled by area. */
function fakeOutputTokens(tier: Tier, width: number, height: number): number {
  if (isPublishedTier(tier)) return outputTokensFor(tier, width, height);
  return Math.ceil(FAKE_OUTPUT_TOKENS_1024[tier] * ((width * height) / (1024 * 1024)));
}

export interface FakeUsage {
  input_tokens: number;
  input_tokens_details: { image_tokens: number; text_tokens: number };
  output_tokens: number;
  output_tokens_details: { image_tokens: number; text_tokens: number };
  total_tokens: number;
}

export interface UsageQuery {
  tier: Tier;
  width: number;
  height: number;
  /** images produced */
  images: number;
  promptChars: number;
  /** reference images of an edit */
  references: number;
  /** partial images streamed per image: OpenAI bills each as extra image-output tokens */
  partialImages?: number;
}

export function usageFor(q: UsageQuery): FakeUsage {
  const textTokens = Math.ceil(q.promptChars / 4);
  const imageTokens = INPUT_TOKENS_PER_REFERENCE * q.references;
  const output = (fakeOutputTokens(q.tier, q.width, q.height) + partialImageTokens(q.partialImages)) * q.images;
  const input = textTokens + imageTokens;
  return {
    input_tokens: input,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: output,
    output_tokens_details: { image_tokens: output, text_tokens: 0 },
    total_tokens: input + output,
  };
}
