// GET /v1/models and GET /v1/models/{id} — the models this deployment offers, in OpenAI's list
// shape (so the SDK's models.list() / retrieve() read it), default first, each with Framefill's
// capability fields under `framefill` (contract.ts modelCapabilitiesSchema): qualities, limits,
// sizes and the prices the deployment uses — published, the operator's ceiling, or learned from
// the runs it has seen (accounting/learned-output.ts).
import { Hono, type Context } from 'hono';
import type { ModelCapabilities, ModelList, QualityPrice } from '../../contract';
import type { AppEnv, RequestState, RouteDeps } from '../context';
import { jsonResponse, modelNotFound } from '../../errors';
import { findModel, type ModelInfo } from '../../models';
import { isPublishedTier, roundUsd } from '../../pricing';
import { isLearned, readLearned, type LearnedByTier } from '../../accounting/learned-output';
import type { ModelPricing } from '../../accounting/model-prices';
import { allows } from '../../validation/fields';
import { batchDefaults } from '../../config/load-config';

type ModelEntry = ModelList['data'][number];

/** Unix seconds of a model's release: the date its dated snapshots carry (…-YYYY-MM-DD). */
function releasedAt(model: ModelInfo): number {
  const date = model.snapshots.map((s) => /(\d{4}-\d{2}-\d{2})$/.exec(s)?.[1]).find((d) => d !== undefined);
  return date ? Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) : 0;
}

/** One quality's price as served: learned once there are enough runs, else published or the ceiling. */
function qualityPrice(pricing: ModelPricing, learned: LearnedByTier | null, tier: ModelInfo['tiers'][number]): QualityPrice {
  const l = learned?.[tier];
  const tokens = isLearned(l) ? l.outputTokens1024 : pricing.book.outputTokens1024[tier];
  return {
    output_tokens_1024: tokens,
    usd_per_1024: isLearned(l) ? roundUsd((tokens * pricing.book.usdPerMillion.imageOutput) / 1e6) : pricing.usdPer1024[tier],
    basis: isLearned(l) ? 'learned' : isPublishedTier(tier) ? 'published' : 'ceiling',
    runs: l?.runs ?? 0,
  };
}

/** Framefill's capability fields of a model, at the deployment's prices. */
function capabilitiesOf(model: ModelInfo, pricing: ModelPricing, learned: LearnedByTier | null, isDefault: boolean, batch: { discount: number; maxItems: number }): ModelCapabilities {
  const { limits, sizes } = model;
  return {
    label: model.label,
    purpose: model.purpose,
    snapshots: [...model.snapshots],
    default: isDefault,
    qualities: [...model.tiers, 'auto'],
    transparent_background: model.transparent,
    streaming: model.streaming,
    batch_discount: batch.discount,
    batch_max_items: batch.maxItems,
    limits: { max_prompt_chars: limits.maxPromptChars, max_images: limits.maxImages, max_reference_images: limits.maxReferenceImages, max_partial_images: limits.maxPartialImages },
    sizes: {
      multiple_of: sizes.multipleOf,
      max_side: sizes.maxSide,
      max_pixels: sizes.maxPixels,
      min_pixels: sizes.minPixels,
      max_aspect: sizes.maxAspect,
      experimental_above_pixels: sizes.experimentalAbovePixels,
    },
    prices: {
      usd_per_million: { text_input: pricing.book.usdPerMillion.textInput, image_input: pricing.book.usdPerMillion.imageInput, image_output: pricing.book.usdPerMillion.imageOutput },
      qualities: Object.fromEntries(model.tiers.map((t) => [t, qualityPrice(pricing, learned, t)])),
    },
  };
}

/** GET /v1/models and /v1/models/{id}. */
export function modelRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/', listHandler(deps)).get('/:id', retrieveHandler(deps));
}

/** The allowed models as listed, default first. */
function offered(deps: RouteDeps): string[] {
  const { model, allowedModels } = deps.config;
  return [model, ...allowedModels.filter((m) => m !== model)];
}

async function entryFor(deps: RouteDeps, state: RequestState, id: string): Promise<ModelEntry | null> {
  const model = findModel(id);
  const pricing = deps.pricesFor(id);
  if (!model || !pricing) return null;
  // Prices without what was learned beat no answer: a store that cannot say is logged, not fatal.
  const learned = await readLearned(deps.store, model).catch((err: unknown) => {
    deps.logServerError(state.requestId, err, 'learned estimates not read for /v1/models');
    return null;
  });
  return { id, object: 'model', created: releasedAt(model), owned_by: 'openai', framefill: capabilitiesOf(model, pricing, learned, id === deps.config.model, deps.config.batch ?? batchDefaults()) };
}

function listHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const state = c.get('state');
    const entries = await Promise.all(offered(deps).map((id) => entryFor(deps, state, id)));
    const list: ModelList = { object: 'list', data: entries.filter((e): e is ModelEntry => e !== null) };
    return jsonResponse(list);
  };
}

function retrieveHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const id = c.req.param('id') ?? '';
    const policy = { defaultModel: deps.config.model, allowedModels: deps.config.allowedModels };
    const entry = allows(policy, id) ? await entryFor(deps, c.get('state'), id) : null;
    if (!entry) throw modelNotFound(id, offered(deps));
    return jsonResponse(entry);
  };
}
