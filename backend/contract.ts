// The backend's HTTP contract beyond OpenAI's own shapes, owned here and imported by the panel.
// Requests and responses keep OpenAI's Images API shapes; Framefill adds a cost header, a
// `framefill` block in bodies and in the final SSE event, idempotent request ids and
// /v1/usage and /v1/results (GET to collect, DELETE to cancel or forget).
// zod/mini (functional API, tree-shakable) because the panel bundles this file: classic zod would
// add ~100 KB to it. The backend's own request validation (validation/) stays on classic zod.
import * as z from 'zod/mini';

export const COST_HEADER = 'x-framefill-cost-usd';
/** Sent by the panel with every generation/edit so a result can be recovered and never paid twice. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REQUEST_ID_HEADER = 'x-request-id';
/** Marks an answer served from a stored result (an Idempotency-Key repeat): no new call, no charge. */
export const REPLAYED_HEADER = 'idempotent-replayed';

export const MAX_PROMPT_CHARS = 32_000;
export const MAX_REFERENCE_IMAGES = 16;
export const MAX_PARTIAL_IMAGES = 3;

/** Appended by the backend to non-stream bodies and to the final (`*.completed`) SSE event. */
export const framefillBlockSchema = z.object({
  cost_usd: z.number().check(z.nonnegative()),
  request_id: z.nullable(z.string()),
  model: z.string(),
});
export type FramefillBlock = z.infer<typeof framefillBlockSchema>;

const optionalNumber = z.optional(z.number());
const count = z.number().check(z.int(), z.nonnegative());

export const usageSchema = z.looseObject({
  input_tokens: optionalNumber,
  output_tokens: optionalNumber,
  total_tokens: optionalNumber,
  input_tokens_details: z.optional(z.object({ image_tokens: optionalNumber, text_tokens: optionalNumber })),
});

/** OpenAI's ImagesResponse, plus `framefill`. */
export const imagesResponseSchema = z.looseObject({
  created: z.number(),
  data: z._default(z.array(z.looseObject({ b64_json: z.optional(z.string()) })), []),
  size: z.optional(z.string()),
  quality: z.optional(z.string()),
  output_format: z.optional(z.string()),
  usage: z.optional(usageSchema),
  framefill: z.optional(framefillBlockSchema),
});
export type ImagesResponse = z.infer<typeof imagesResponseSchema>;

/** One SSE event's JSON payload (`data:`), as OpenAI sends it, final ones with `framefill`. */
export const streamEventSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.enum(['image_generation.partial_image', 'image_edit.partial_image']), b64_json: z.string(), partial_image_index: z.number() }),
  z.looseObject({ type: z.enum(['image_generation.completed', 'image_edit.completed']), b64_json: z.string(), usage: z.optional(usageSchema), framefill: z.optional(framefillBlockSchema) }),
  /** how a stream ends when something failed after it started (OpenAI's streaming error event) */
  z.object({ type: z.literal('error'), error: z.looseObject({ message: z.string(), type: z.optional(z.string()), code: z.optional(z.nullable(z.string())), param: z.optional(z.nullable(z.string())) }) }),
]);

/** Where a quality's price per 1024² image comes from: OpenAI's published figure, the deployment's ceiling (xhigh/max before any run), or the runs this backend has seen. */
export const PRICE_BASES = ['published', 'ceiling', 'learned'] as const;

/** One quality tier's price as a deployment serves it (GET /v1/models → framefill.prices.qualities). */
export const qualityPriceSchema = z.object({
  /** output tokens of one 1024×1024 image: what estimates scale by area */
  output_tokens_1024: z.number().check(z.nonnegative()),
  /** the same as USD per image (output only) */
  usd_per_1024: z.number().check(z.nonnegative()),
  basis: z.enum(PRICE_BASES),
  /** runs of this model and quality the backend has learned from (the basis turns `learned` once there are enough) */
  runs: count,
});
export type QualityPrice = z.infer<typeof qualityPriceSchema>;

/** Framefill's capability fields riding along each model of GET /v1/models (OpenAI's list shape). */
export const modelCapabilitiesSchema = z.looseObject({
  label: z.string(),
  purpose: z.string(),
  snapshots: z.array(z.string()),
  /** the model used when a request names none */
  default: z.boolean(),
  /** every `quality` value it takes, `auto` included */
  qualities: z.array(z.string()),
  transparent_background: z.enum(['yes', 'preview', 'no']),
  streaming: z.boolean(),
  /** (issue 16) overnight batches cost this share of the synchronous price (FRAMEFILL_BATCH_DISCOUNT) */
  batch_discount: z.optional(z.number()),
  /** (issue 16) items one batch may hold (FRAMEFILL_BATCH_MAX_ITEMS): a larger overnight run goes as several */
  batch_max_items: z.optional(count),
  limits: z.looseObject({ max_prompt_chars: count, max_images: count, max_reference_images: count, max_partial_images: count }),
  sizes: z.looseObject({ multiple_of: count, max_side: count, max_pixels: count, min_pixels: count, max_aspect: z.number(), experimental_above_pixels: count }),
  prices: z.looseObject({
    usd_per_million: z.looseObject({ text_input: z.number(), image_input: z.number(), image_output: z.number() }),
    /** by quality tier (not auto) */
    qualities: z.record(z.string(), qualityPriceSchema),
  }),
});
export type ModelCapabilities = z.infer<typeof modelCapabilitiesSchema>;

/** GET /v1/models (authenticated): the models this deployment allows, default first. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.looseObject({
      id: z.string(),
      object: z.literal('model'),
      created: z.number(),
      owned_by: z.string(),
      framefill: z.optional(modelCapabilitiesSchema),
    }),
  ),
});
export type ModelList = z.infer<typeof modelListSchema>;

/** OpenAI-style error body; every 4xx/5xx from the backend has this shape. */
export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.nullable(z.string()),
    code: z.nullable(z.string()),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** GET /v1/usage — the caller's month-to-date figures (UTC month). */
export const usageSummarySchema = z.object({
  object: z.literal('framefill.usage'),
  token_name: z.string(),
  month: z.string(), // "2026-11"
  /** image slots that delivered something: final images, and images whose stream was cut after partials */
  images: count,
  /** partial images (stream previews) delivered, each charged at its output tokens; absent from backends before issue 11 */
  partial_images: z.optional(count),
  requests: count,
  input_tokens: count,
  output_tokens: count,
  cost_usd: z.number().check(z.nonnegative()),
  /** null when no monthly budget is configured */
  budget_usd: z.nullable(z.number().check(z.nonnegative())),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

/** GET /v1/results/{id}: 200 with an ImagesResponse when finished; 202 with this while running; 500 `request_lost` when the instance running it stopped; 404 when unknown or expired. */
export interface ResultPending {
  object: 'framefill.result';
  status: 'in_progress';
  id: string;
}

/**
 * DELETE /v1/results/{id}: `cancelled` — the request was running: its upstream call is aborted,
 * only what was already delivered is charged, nothing is kept; `deleted` — its finished result
 * is forgotten. 404 when unknown (or another token's).
 */
export const resultCancelSchema = z.object({ object: z.literal('framefill.result'), id: z.string(), status: z.enum(['cancelled', 'deleted']) });
export type ResultCancel = z.infer<typeof resultCancelSchema>;

/**
 * `error.code` values the panel reacts to: the backend's own, and OpenAI's that it passes through
 * unchanged. The backend builds its errors with these (errors.ts); the panel matches on them.
 */
export const ERROR_CODES = {
  invalidApiKey: 'invalid_api_key',
  rateLimitExceeded: 'rate_limit_exceeded',
  dailyImageLimit: 'daily_image_limit',
  budgetExceeded: 'budget_exceeded',
  storeUnavailable: 'store_unavailable',
  upstreamTimeout: 'upstream_timeout',
  upstreamUnreachable: 'upstream_unreachable',
  /** GET /v1/results/{id} (500): the instance running a keyed request stopped before it finished; not charged */
  requestLost: 'request_lost',
  /** OpenAI's: its safety system refused the prompt or an image */
  moderationBlocked: 'moderation_blocked',
  /** OpenAI's older name for the same refusal */
  contentPolicyViolation: 'content_policy_violation',
  /** (409) an Idempotency-Key sent again with another request: what it named is kept, the new request refused */
  idempotencyKeyReused: 'idempotency_key_reused',
  /** (409, Retry-After) the request under this Idempotency-Key is still being made */
  requestInProgress: 'request_in_progress',
  /** (409 on a repeat, 404 on GET /v1/results/{id}) it finished and was charged, but its images are no longer kept */
  resultNotRetained: 'result_not_retained',
} as const;

/** Codes that mean money ran out: this backend's monthly budget, or (passed through) OpenAI's quota. */
export const BUDGET_ERROR_CODES: readonly string[] = [ERROR_CODES.budgetExceeded, 'monthly_budget_exceeded', 'insufficient_quota', 'billing_hard_limit_reached'];

// ── Overnight batches (issue 16) ──────────────────────────────────────────────────────────────
// POST /v1/framefill/batches submits items to OpenAI's Batch API at the batch price (202 with the
// batch); GET /v1/framefill/batches/{id} reports it; DELETE cancels it. Each item's result is
// kept under its `id` like an idempotent request's: GET /v1/results/{id} returns it once done.
// The POST takes an IDEMPOTENCY_HEADER: a repeat under the same token and key answers 200 with the
// batch the key already made (nothing made or reserved again); other items under the key: 409.

export const BATCHES_PATH = '/v1/framefill/batches';

/** One image request of a batch: a generation, or an edit with its images as base64. */
export const batchItemSchema = z.strictObject({
  /** the idempotency id its result is kept under (GET /v1/results/{id}) */
  id: z.string(),
  kind: z.enum(['generation', 'edit']),
  prompt: z.string(),
  model: z.optional(z.string()),
  quality: z.optional(z.string()),
  size: z.optional(z.string()),
  output_format: z.optional(z.string()),
  background: z.optional(z.string()),
  n: z.optional(z.number()),
  /** edits: 1–16 reference images, base64 PNG/JPEG/WebP (no data: prefix) */
  images: z.optional(z.array(z.string())),
  /** edits: a base64 PNG mask the size of the first image */
  mask: z.optional(z.string()),
});
export type BatchItem = z.infer<typeof batchItemSchema>;

export const batchSubmitSchema = z.strictObject({ items: z.array(batchItemSchema).check(z.minLength(1)) });

export const BATCH_STATUSES = ['in_progress', 'cancelling', 'completed', 'cancelled', 'expired', 'failed'] as const;
export const BATCH_ITEM_STATUSES = ['pending', 'succeeded', 'failed', 'expired', 'cancelled'] as const;

export const batchItemStatusSchema = z.object({
  id: z.string(),
  kind: z.enum(['generation', 'edit']),
  status: z.enum(BATCH_ITEM_STATUSES),
  /** what the item was charged (batch price); null until it succeeded */
  cost_usd: z.nullable(z.number()),
  /** why it failed, expired or was cancelled */
  error: z.nullable(z.object({ code: z.nullable(z.string()), message: z.string() })),
});

/** A batch as the routes report it. */
export const batchSchema = z.object({
  object: z.literal('framefill.batch'),
  id: z.string(),
  status: z.enum(BATCH_STATUSES),
  /** seconds since the epoch */
  created_at: z.number(),
  /** price factor against the synchronous price (FRAMEFILL_BATCH_DISCOUNT) */
  discount: z.number(),
  /** held against the budget until the batch settles: the items' worst case at the batch price */
  reserved_usd: z.number(),
  /** charged once settled (the items' `usage` at the batch price); 0 before */
  cost_usd: z.number(),
  /** items OpenAI reports done so far (updated as the batch is followed) */
  progress: z.object({ total: count, completed: count, failed: count }),
  items: z.array(batchItemStatusSchema),
});
export type Batch = z.infer<typeof batchSchema>;
