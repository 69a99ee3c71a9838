// GET /v1/models bodies for panel tests: the built-in table as a backend allowing `ids` serves it,
// with per-tier price bases overridable (a learned price, a ceiling set by the operator).
import type { ModelList, QualityPrice } from '../../backend/contract';
import { findModel } from '../../backend/models';
import { builtInCapabilities } from '../lib/model-catalog';

export const ALL_MODELS = ['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst'];

export function modelList(ids: string[] = ALL_MODELS, prices: Record<string, Record<string, Partial<QualityPrice>>> = {}): ModelList {
  return {
    object: 'list',
    data: ids.map((id) => {
      const caps = builtInCapabilities(findModel(id)!);
      for (const [tier, over] of Object.entries(prices[id] ?? {})) caps.prices.qualities[tier] = { ...caps.prices.qualities[tier]!, ...over };
      return { id, object: 'model' as const, created: 1_788_000_000, owned_by: 'openai', framefill: caps };
    }),
  };
}

export const modelsResponse = (list: ModelList = modelList()) => new Response(JSON.stringify(list), { headers: { 'content-type': 'application/json' } });
