// A plausible `usage` block, priced with the product's own table so cost accounting can be
// checked end to end against the fake.
import { INPUT_TOKENS_PER_REFERENCE, outputTokensFor, type Tier } from '../../backend/pricing.js';

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
}

export function usageFor(q: UsageQuery): FakeUsage {
  const textTokens = Math.ceil(q.promptChars / 4);
  const imageTokens = INPUT_TOKENS_PER_REFERENCE * q.references;
  const output = outputTokensFor(q.tier, q.width, q.height) * q.images;
  const input = textTokens + imageTokens;
  return {
    input_tokens: input,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: output,
    output_tokens_details: { image_tokens: output, text_tokens: 0 },
    total_tokens: input + output,
  };
}
