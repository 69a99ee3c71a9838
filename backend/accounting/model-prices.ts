// Each model's PriceBook, built once from the configuration: its token prices (models.ts) and
// the deployment's ceilings for the tiers OpenAI publishes no price for. Reservations and charges
// of a request use its model's book; quality auto is reserved at the model's dearest tier.
import type { BackendConfig } from '../config/load-config';
import { findModel, MODELS, topTier, type ModelInfo } from '../models';
import { DEFAULT_CEILING_USD_1024, priceBook, USD_PER_IMAGE_1024, type PriceBook, type Tier } from '../pricing';

export interface ModelPricing {
  model: ModelInfo;
  book: PriceBook;
  /** the tier quality auto is reserved at */
  autoTier: Tier;
  /** USD of one 1024² image by tier as published or set (the book's tokens are these, rounded) */
  usdPer1024: Readonly<Record<Tier, number>>;
}

/** `pricesFor(id)`: a catalog id or snapshot → its pricing; undefined for an id outside the catalog. */
export type PricesFor = (modelId: string) => ModelPricing | undefined;

export function modelPrices(config: Pick<BackendConfig, 'ceilings'>): PricesFor {
  const ceilings = config.ceilings ?? {};
  const usdPer1024 = { ...USD_PER_IMAGE_1024, ...DEFAULT_CEILING_USD_1024, ...ceilings };
  const byId = new Map<string, ModelPricing>(
    MODELS.map((model) => [model.id, { model, book: priceBook(model.usdPerMillion, ceilings), autoTier: topTier(model), usdPer1024 }]),
  );
  return (modelId) => {
    const model = findModel(modelId);
    return model ? byId.get(model.id) : undefined;
  };
}
