// Stream previews (partial images) a Now request asks for. OpenAI bills each one as 100 more
// image-output tokens ($0.003 at $30/M), so they are asked for only where they are worth it: a
// Low image comes back in seconds and costs about $0.006 (two previews would double it), while the
// dearer tiers take long enough that seeing the picture form is the point of the wait.
import { costOfTokens, partialImageTokens, type PriceBook, type Tier } from '../../backend/pricing';
import { PARTIAL_IMAGES } from '../config';
import { formatUnitPrice } from './format';

/** Previews streamed per image at `tier` (OpenAI allows 0–3). */
export function previewsPerImage(tier: Tier): number {
  return tier === 'low' ? 0 : PARTIAL_IMAGES;
}

/** What the previews of `n` images at `tier` add to a Now request (nothing overnight: batches don't stream). */
export function previewUsd(tier: Tier, n: number, book?: PriceBook): number {
  return costOfTokens({ output: partialImageTokens(previewsPerImage(tier)) * Math.max(0, n) }, book);
}

/** Beside the Quality control: "+ $0.006 for 2 previews" (per image), or null at a tier without previews. */
export function previewWords(tier: Tier, book?: PriceBook): string | null {
  const count = previewsPerImage(tier);
  return count === 0 ? null : `+ ${formatUnitPrice(previewUsd(tier, 1, book))} for ${count} previews`;
}
