// The one price table of the gpt-image family. The backend bills from it; the panel imports it
// for its estimates (never copy these numbers elsewhere). Sources: OpenAI pricing as collected in
// shared/REFERENCE.md — $5 / 1M text-input tokens, $8 / 1M image-input tokens, $30 / 1M
// image-output tokens (gpt-image-2 and the 2.5 family alike); per image at 1024×1024 ≈ $0.006 /
// $0.053 / $0.211 (low / medium / high). OpenAI publishes no per-image figure for the 2.5 family's
// xhigh and max: those are priced at an operator-settable ceiling (DEFAULT_CEILING_USD_1024) until
// the backend has learned what they cost (accounting/learned-output.ts).
import { MIN_PIXELS } from './size-rules';

export type Tier = 'low' | 'medium' | 'high' | 'xhigh' | 'max';
/** Every quality tier of the family, cheapest first (gpt-image-2 takes the first three). */
export const TIERS: readonly Tier[] = ['low', 'medium', 'high', 'xhigh', 'max'];
export type PublishedTier = 'low' | 'medium' | 'high';
export type UnpublishedTier = Exclude<Tier, PublishedTier>;
export const PUBLISHED_TIERS: readonly PublishedTier[] = ['low', 'medium', 'high'];

export interface TokenPrices {
  textInput: number;
  imageInput: number;
  imageOutput: number;
}

/** USD per 1M tokens, the same for gpt-image-2 and the 2.5 family. */
export const USD_PER_MILLION: TokenPrices = {
  textInput: 5,
  imageInput: 8,
  imageOutput: 30,
};

/** Published per-image price of one 1024×1024 image, by tier. */
export const USD_PER_IMAGE_1024: Readonly<Record<PublishedTier, number>> = {
  low: 0.006,
  medium: 0.053,
  high: 0.211,
};

/**
 * Default ceilings (USD per 1024×1024 image) for the tiers OpenAI publishes no price for: what a
 * reservation holds and the panel estimates until runs teach better. About 2× and 4× high, the
 * spacing the published tiers show; operators set their own (FRAMEFILL_XHIGH_USD_PER_IMAGE,
 * FRAMEFILL_MAX_USD_PER_IMAGE).
 */
export const DEFAULT_CEILING_USD_1024: Readonly<Record<UnpublishedTier, number>> = {
  xhigh: 0.45,
  max: 0.9,
};

/** What prices a model's requests: token prices and the output tokens of one 1024² image per tier. */
export interface PriceBook {
  usdPerMillion: TokenPrices;
  outputTokens1024: Readonly<Record<Tier, number>>;
}

function tokensForUsd(usd: number, prices: TokenPrices): number {
  return Math.round((usd / prices.imageOutput) * 1e6);
}

/**
 * A price book from token prices and per-image USD figures at 1024² (published ones by default,
 * `ceilings` for xhigh/max). Output tokens are derived from the per-image price so the two never drift.
 */
export function priceBook(prices: TokenPrices = USD_PER_MILLION, ceilings: Partial<Record<UnpublishedTier, number>> = {}): PriceBook {
  const usd: Record<Tier, number> = { ...USD_PER_IMAGE_1024, ...DEFAULT_CEILING_USD_1024, ...ceilings };
  const outputTokens1024 = Object.fromEntries(TIERS.map((t) => [t, tokensForUsd(usd[t], prices)])) as Record<Tier, number>;
  return { usdPerMillion: prices, outputTokens1024 };
}

/** The book of the defaults: gpt-image-2's published prices, the default ceilings. */
export const DEFAULT_PRICE_BOOK: PriceBook = priceBook();

export function isPublishedTier(tier: Tier): tier is PublishedTier {
  return (PUBLISHED_TIERS as readonly string[]).includes(tier);
}

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
export function costFromUsage(usage: ImageUsage | undefined | null, book: PriceBook = DEFAULT_PRICE_BOOK): number {
  if (!usage) return 0;
  const input = nonNegative(usage.input_tokens);
  const imageIn = nonNegative(usage.input_tokens_details?.image_tokens);
  // Without a breakdown, text tokens are whatever input is not image input.
  const textIn = usage.input_tokens_details?.text_tokens !== undefined
    ? nonNegative(usage.input_tokens_details.text_tokens)
    : Math.max(0, input - imageIn);
  const out = nonNegative(usage.output_tokens);
  return costOfTokens({ text: textIn, image: imageIn, output: out }, book);
}

/**
 * Output tokens for one image of w×h at a tier: the 1024² figure scaled by area. The published
 * prices for 1024×1536 are a little lower than this gives, so estimates err on the safe side.
 */
export function outputTokensFor(tier: Tier, width: number, height: number, book: PriceBook = DEFAULT_PRICE_BOOK): number {
  return Math.ceil(book.outputTokens1024[tier] * ((width * height) / (1024 * 1024)));
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
  /** partial images streamed per image, each billed as PARTIAL_IMAGE_OUTPUT_TOKENS (default none) */
  partialImages?: number;
  /** the model's prices (default: DEFAULT_PRICE_BOOK) */
  book?: PriceBook;
}

/** Estimated cost in USD of one request before it runs. */
export function estimateCost(q: CostQuery): number {
  const book = q.book ?? DEFAULT_PRICE_BOOK;
  const perImage = outputTokensFor(q.tier, q.width, q.height, book) + partialImageTokens(q.partialImages);
  const out = perImage * Math.max(0, q.count);
  const imageIn = INPUT_TOKENS_PER_REFERENCE * Math.max(0, q.references ?? 0);
  const textIn = Math.ceil((q.promptChars ?? 0) / 4);
  return costOfTokens({ text: textIn, image: imageIn, output: out }, book);
}

/** Per-image price of a tier at a size, for showing next to the tier control. */
export function pricePerImage(tier: Tier, width = 1024, height = 1024, book: PriceBook = DEFAULT_PRICE_BOOK): number {
  return estimateCost({ tier, width, height, count: 1, book });
}

/** One image's pixel size (a reference or mask of an edit). */
export interface PixelSize {
  width: number;
  height: number;
}

/** What can be known about a request before it runs, for its worst-case price. */
export interface MaxCostQuery {
  /** 'auto' or absent → priced as `autoTier` */
  quality?: Tier | 'auto' | undefined;
  /** the dearest tier the model may pick for quality auto (default high, gpt-image-2's top) */
  autoTier?: Tier;
  /** the model's prices (default: DEFAULT_PRICE_BOOK) */
  book?: PriceBook;
  /** 'auto', absent or WIDTHxHEIGHT */
  size?: string | undefined;
  n: number;
  /** partial images per image (streams) */
  partialImages?: number | undefined;
  prompt: string;
  /** every image sent with an edit, mask included */
  inputs?: readonly PixelSize[];
}

/** The largest image gpt-image-2 makes (3840×2160, size-rules' MAX_PIXELS) — what `size: auto` is priced at. */
export const LARGEST_OUTPUT: PixelSize = { width: 3840, height: 2160 };
/** OpenAI bills each partial image of a stream as this many extra image-output tokens. */
export const PARTIAL_IMAGE_OUTPUT_TOKENS = 100;

/** Image-output tokens of `partialImages` stream previews (none when absent). */
export function partialImageTokens(partialImages: number | undefined): number {
  return PARTIAL_IMAGE_OUTPUT_TOKENS * Math.max(0, partialImages ?? 0);
}

/**
 * Upper bound of the image-input tokens one uploaded image can be billed as. OpenAI's vision
 * accounting is either 512-px tiles (85 + 170 per tile ≈ 0.65 token per 32×32 patch) or 32-px
 * patches times a model multiplier below 2, after downscaling (never upscaling), so two tokens
 * per 32-px patch of the image as sent bounds both; small images still count at least the
 * high-fidelity flat figure the price table assumes.
 */
export function inputTokensUpperBound(size: PixelSize): number {
  const patches = Math.ceil(size.width / 32) * Math.ceil(size.height / 32);
  return Math.max(INPUT_TOKENS_PER_REFERENCE, 2 * patches);
}

/**
 * Upper bound of what a request can cost, in micro-dollars (integer), reserved against a budget
 * before the call. Every unknown is taken at its worst: quality auto → high; size auto → the
 * largest size gpt-image-2 makes (OpenAI does not say which sizes `auto` picks for this model,
 * which accepts any size up to 3840×2160, so nothing smaller is provably enough); output tokens
 * scaled by area (above the published prices for non-square sizes); every partial image charged;
 * the prompt as one token per UTF-8 byte (a byte-level tokenizer never makes more) plus a margin;
 * uploaded images as inputTokensUpperBound. The actual cost, from `usage`, replaces it afterwards.
 */
export function maxCostMicros(q: MaxCostQuery): number {
  const book = q.book ?? DEFAULT_PRICE_BOOK;
  const tier: Tier = q.quality === undefined || q.quality === 'auto' ? (q.autoTier ?? 'high') : q.quality;
  const match = q.size ? /^(\d+)x(\d+)$/.exec(q.size) : null;
  const out = match ? { width: Number(match[1]), height: Number(match[2]) } : LARGEST_OUTPUT;
  const n = Math.max(0, Math.ceil(q.n));
  const perImage = outputTokensFor(tier, out.width, out.height, book) + partialImageTokens(q.partialImages);
  const prices = book.usdPerMillion;
  const textIn = new TextEncoder().encode(q.prompt).length + 64;
  const imageIn = (q.inputs ?? []).reduce((sum, size) => sum + inputTokensUpperBound(size), 0);
  // USD per 1M tokens × tokens = micro-dollars: exact integers.
  const micros = textIn * prices.textInput + imageIn * prices.imageInput + perImage * n * prices.imageOutput;
  // Defence in depth: validation bounds every input, but a reservation the store cannot hold as a
  // safe integer would fail the request as a store error (5xx). Anything past the cap (or not a
  // number at all) is reserved as the cap, which no budget can fit.
  return Number.isFinite(micros) && micros <= MAX_COST_MICROS ? micros : MAX_COST_MICROS;
}

/** A request's asked-for quality and size, as sent upstream ('auto' or absent included). */
export interface RequestedImage {
  quality?: Tier | 'auto' | undefined;
  size?: string | undefined;
}

/**
 * Output tokens one image of the request must have cost at the least: the published figure for
 * the requested size and tier, with every unknown at its cheapest (quality auto → low, size
 * auto → the smallest gpt-image-2 makes; xhigh and max, whose price is unpublished, at high's).
 * An upstream whose `usage` says less (missing, zero, negative) is charged this instead: the floor
 * of what an image delivered really cost.
 */
export function floorOutputTokens(q: RequestedImage, book: PriceBook = DEFAULT_PRICE_BOOK): number {
  const asked: Tier = q.quality === undefined || q.quality === 'auto' ? 'low' : q.quality;
  const tier: Tier = isPublishedTier(asked) ? asked : 'high';
  const match = q.size ? /^(\d+)x(\d+)$/.exec(q.size) : null;
  const pixels = match ? Number(match[1]) * Number(match[2]) : MIN_PIXELS;
  return Math.ceil(book.outputTokens1024[tier] * (pixels / (1024 * 1024)));
}

/** What the request sends OpenAI, as the price table estimates it (no `usage` ever said). */
export interface EstimatedInput {
  /** prompt length in characters (≈ 4 per text token) */
  promptChars: number;
  /** images sent with an edit (references and mask), at INPUT_TOKENS_PER_REFERENCE each */
  references: number;
}

/** Tokens of a request's input as estimated: text and image input, OpenAI's split. */
export function estimatedInputTokens(q: EstimatedInput): { text: number; image: number } {
  return { text: Math.ceil(Math.max(0, q.promptChars) / 4), image: INPUT_TOKENS_PER_REFERENCE * Math.max(0, q.references) };
}

/** USD of a token split at OpenAI's prices. */
export function costOfTokens(t: { text?: number; image?: number; output?: number }, book: PriceBook = DEFAULT_PRICE_BOOK): number {
  const p = book.usdPerMillion;
  return roundUsd(((t.text ?? 0) * p.textInput + (t.image ?? 0) * p.imageInput + (t.output ?? 0) * p.imageOutput) / 1e6);
}

/**
 * The documented minimum charge of a non-stream call its client abandoned after it went upstream
 * (no Idempotency-Key, so nothing can collect the images): the published price of the images
 * asked for at the requested size and quality (floorOutputTokens each), plus the request's input
 * as estimated. OpenAI does not stop generating when the connection drops and bills the images
 * in full, so charging nothing would make every abandoned call free; charging the reservation's
 * worst case would overcharge `auto` requests. The real `usage` is never seen, so this is the
 * least the call can have cost.
 */
export function abandonedCallTokens(q: RequestedImage & EstimatedInput & { n: number }, book: PriceBook = DEFAULT_PRICE_BOOK): { text: number; image: number; output: number } {
  return { ...estimatedInputTokens(q), output: floorOutputTokens(q, book) * Math.max(0, Math.ceil(q.n)) };
}

/**
 * Ceiling of any reservation: $1,000,000, far above the dearest valid request (16 references of
 * 100 MP and ten 3840×2160 images at high come to about $43), and small enough that a counter
 * adding thousands of them stays a safe integer.
 */
export const MAX_COST_MICROS = 1e12;

/** USD (to the millionth) → integer micro-dollars, how the store keeps money. */
export function toMicros(usd: number): number {
  return Math.round(usd * 1e6);
}

export function fromMicros(micros: number): number {
  return micros / 1e6;
}

function nonNegative(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** Money is kept to a millionth of a dollar: exact enough to add up, free of float noise. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
