// The backend's HTTP contract beyond OpenAI's own shapes, owned here and imported by the panel.
// Requests and responses keep OpenAI's Images API shapes; Framefill adds a cost header, a
// `framefill` block in bodies and in the final SSE event, idempotent request ids and
// /v1/usage and /v1/results (GET to collect, DELETE to cancel or forget).
import * as z from 'zod';

export const COST_HEADER = 'x-framefill-cost-usd';
/** Sent by the panel with every generation/edit so a result can be recovered and never paid twice. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REQUEST_ID_HEADER = 'x-request-id';

export const MAX_PROMPT_CHARS = 32_000;
export const MAX_REFERENCE_IMAGES = 16;
export const MAX_PARTIAL_IMAGES = 3;

/** Appended by the backend to non-stream bodies and to the final (`*.completed`) SSE event. */
export const framefillBlockSchema = z.object({
  cost_usd: z.number().nonnegative(),
  request_id: z.string().nullable(),
  model: z.string(),
});
export type FramefillBlock = z.infer<typeof framefillBlockSchema>;

export const usageSchema = z
  .object({
    input_tokens: z.number().optional(),
    output_tokens: z.number().optional(),
    total_tokens: z.number().optional(),
    input_tokens_details: z.object({ image_tokens: z.number().optional(), text_tokens: z.number().optional() }).partial().optional(),
  })
  .passthrough();

/** OpenAI's ImagesResponse, plus `framefill`. */
export const imagesResponseSchema = z
  .object({
    created: z.number(),
    data: z.array(z.object({ b64_json: z.string().optional() }).passthrough()).default([]),
    size: z.string().optional(),
    quality: z.string().optional(),
    output_format: z.string().optional(),
    usage: usageSchema.optional(),
    framefill: framefillBlockSchema.optional(),
  })
  .passthrough();
export type ImagesResponse = z.infer<typeof imagesResponseSchema>;

/** One SSE event's JSON payload (`data:`), as OpenAI sends it, final ones with `framefill`. */
export const streamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['image_generation.partial_image', 'image_edit.partial_image']), b64_json: z.string(), partial_image_index: z.number() }).passthrough(),
  z.object({ type: z.enum(['image_generation.completed', 'image_edit.completed']), b64_json: z.string(), usage: usageSchema.optional(), framefill: framefillBlockSchema.optional() }).passthrough(),
  /** how a stream ends when something failed after it started (OpenAI's streaming error event) */
  z.object({ type: z.literal('error'), error: z.object({ message: z.string(), type: z.string().optional(), code: z.string().nullable().optional(), param: z.string().nullable().optional() }).passthrough() }),
]);
export type StreamEvent = z.infer<typeof streamEventSchema>;

/** OpenAI-style error body; every 4xx/5xx from the backend has this shape. */
export const errorBodySchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** GET /v1/usage — the caller's month-to-date figures (UTC month). */
export const usageSummarySchema = z.object({
  object: z.literal('framefill.usage'),
  token_name: z.string(),
  month: z.string(), // "2026-11"
  images: z.number().int().nonnegative(),
  requests: z.number().int().nonnegative(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cost_usd: z.number().nonnegative(),
  /** null when no monthly budget is configured */
  budget_usd: z.number().nonnegative().nullable(),
});
export type UsageSummary = z.infer<typeof usageSummarySchema>;

/** GET /v1/results/{id}: 200 with an ImagesResponse when finished; 202 with this while running; 404 when unknown or expired. */
export const resultPendingSchema = z.object({ object: z.literal('framefill.result'), status: z.literal('in_progress'), id: z.string() });

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
  /** OpenAI's: its safety system refused the prompt or an image */
  moderationBlocked: 'moderation_blocked',
  /** OpenAI's older name for the same refusal */
  contentPolicyViolation: 'content_policy_violation',
} as const;

/** Codes that mean money ran out: this backend's monthly budget, or (passed through) OpenAI's quota. */
export const BUDGET_ERROR_CODES: readonly string[] = [ERROR_CODES.budgetExceeded, 'monthly_budget_exceeded', 'insufficient_quota', 'billing_hard_limit_reached'];
