// The models the panel offers, as the backend serves them (GET /v1/models), turned into what the
// picker and the estimates need: each model's tiers, its price book and how each price is known.
// Pure. A backend older than /v1/models gets the built-in gpt-image-2 entry at published prices.
import { PRICE_BASES, type ModelCapabilities, type ModelList, type QualityPrice } from '../../backend/contract';
import { DEFAULT_MODEL_ID, findModel, type ModelInfo } from '../../backend/models';
import { DEFAULT_CEILING_USD_1024, DEFAULT_PRICE_BOOK, TIERS, USD_PER_IMAGE_1024, isPublishedTier, pricePerImage, priceBook, type PriceBook, type Tier } from '../../backend/pricing';

export type PriceBasis = (typeof PRICE_BASES)[number];

export interface TierPrice {
  tier: Tier;
  /** USD of one 1024×1024 image at this tier (output only, as OpenAI quotes it) */
  usd: number;
  basis: PriceBasis;
  /** runs the backend learned this price from */
  runs: number;
}

export interface ModelChoice {
  id: string;
  label: string;
  /** one line on what it is for */
  purpose: string;
  /** the tiers it takes, cheapest first (never `auto`: the panel always names one) */
  tiers: Tier[];
  prices: TierPrice[];
  transparent: 'yes' | 'preview' | 'no';
  book: PriceBook;
  default: boolean;
  /** (issue 16) the deployment's overnight batch discount, when the backend says */
  batchDiscount?: number;
  /** (issue 16) items one batch may hold on this deployment, when the backend says */
  batchMaxItems?: number;
}

/** Capabilities of a built-in model at the default prices (ceilings for xhigh/max). */
export function builtInCapabilities(model: ModelInfo): ModelCapabilities {
  const book = priceBook(model.usdPerMillion);
  return {
    label: model.label,
    purpose: model.purpose,
    snapshots: [...model.snapshots],
    default: model.id === DEFAULT_MODEL_ID,
    qualities: [...model.tiers, 'auto'],
    transparent_background: model.transparent,
    streaming: model.streaming,
    limits: { max_prompt_chars: model.limits.maxPromptChars, max_images: model.limits.maxImages, max_reference_images: model.limits.maxReferenceImages, max_partial_images: model.limits.maxPartialImages },
    sizes: { multiple_of: model.sizes.multipleOf, max_side: model.sizes.maxSide, max_pixels: model.sizes.maxPixels, min_pixels: model.sizes.minPixels, max_aspect: model.sizes.maxAspect, experimental_above_pixels: model.sizes.experimentalAbovePixels },
    prices: {
      usd_per_million: { text_input: model.usdPerMillion.textInput, image_input: model.usdPerMillion.imageInput, image_output: model.usdPerMillion.imageOutput },
      qualities: Object.fromEntries(
        model.tiers.map((tier) => [tier, { output_tokens_1024: book.outputTokens1024[tier], usd_per_1024: isPublishedTier(tier) ? USD_PER_IMAGE_1024[tier] : DEFAULT_CEILING_USD_1024[tier], basis: isPublishedTier(tier) ? 'published' : 'ceiling', runs: 0 }]),
      ),
    },
  };
}

/** A model's book from the built-in table (gpt-image-2's for an id Framefill doesn't know). */
export function builtInBook(id: string): PriceBook {
  return priceBook(findModel(id)?.usdPerMillion);
}

/** What a backend without GET /v1/models offers: gpt-image-2 at its published prices. */
export function fallbackModelList(): ModelList {
  const model = findModel(DEFAULT_MODEL_ID)!;
  return { object: 'list', data: [{ id: model.id, object: 'model', created: 0, owned_by: 'openai', framefill: builtInCapabilities(model) }] };
}

/** The price book of served prices: token prices, and output tokens per 1024² image by tier. */
export function bookOf(prices: ModelCapabilities['prices']): PriceBook {
  const p = prices.usd_per_million;
  const usdPerMillion = { textInput: p.text_input, imageInput: p.image_input, imageOutput: p.image_output };
  const outputTokens1024 = Object.fromEntries(TIERS.map((tier) => [tier, prices.qualities[tier]?.output_tokens_1024 ?? DEFAULT_PRICE_BOOK.outputTokens1024[tier]])) as Record<Tier, number>;
  return { usdPerMillion, outputTokens1024 };
}

function choiceOf(id: string, caps: ModelCapabilities): ModelChoice | null {
  const tiers = TIERS.filter((tier) => caps.qualities.includes(tier));
  if (tiers.length === 0) return null;
  const book = bookOf(caps.prices);
  const prices = tiers.map((tier) => {
    const served: QualityPrice | undefined = caps.prices.qualities[tier];
    return { tier, usd: pricePerImage(tier, 1024, 1024, book), basis: served?.basis ?? (isPublishedTier(tier) ? 'published' : 'ceiling'), runs: served?.runs ?? 0 };
  });
  return { id, label: caps.label, purpose: caps.purpose, tiers, prices, transparent: caps.transparent_background, book, default: caps.default, ...(caps.batch_discount !== undefined ? { batchDiscount: caps.batch_discount } : {}), ...(caps.batch_max_items ? { batchMaxItems: caps.batch_max_items } : {}) };
}

/**
 * The picker's models from GET /v1/models, in the backend's order. A listed model without
 * Framefill's fields is taken from the built-in table when Framefill knows it, else left out
 * (nothing could be said about its qualities or prices).
 */
export function modelChoices(list: ModelList): ModelChoice[] {
  const out: ModelChoice[] = [];
  for (const entry of list.data) {
    const known = findModel(entry.id);
    const caps = entry.framefill ?? (known ? builtInCapabilities(known) : null);
    const choice = caps ? choiceOf(entry.id, caps) : null;
    if (choice && !out.some((c) => c.id === choice.id)) out.push(choice);
  }
  return out;
}

export const FALLBACK_CHOICES: readonly ModelChoice[] = modelChoices(fallbackModelList());

/** The tier a model takes closest to `tier` (a tie goes to the cheaper one). */
export function nearestTier(tiers: readonly Tier[], tier: Tier): Tier {
  if (tiers.includes(tier)) return tier;
  const rank = TIERS.indexOf(tier);
  let best = tiers[0] ?? 'medium';
  for (const t of tiers) if (Math.abs(TIERS.indexOf(t) - rank) < Math.abs(TIERS.indexOf(best) - rank)) best = t;
  return best;
}

/**
 * The model the form means: the chosen one when offered (a dated snapshot, as a backend may bill
 * it, counts as its model), else the backend's default (or first).
 */
export function resolveModel(choices: readonly ModelChoice[], id: string): ModelChoice {
  const list = choices.length > 0 ? choices : FALLBACK_CHOICES;
  const family = findModel(id)?.id ?? id;
  return list.find((c) => c.id === id || c.id === family) ?? list.find((c) => c.default) ?? list[0]!;
}
