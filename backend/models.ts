// The one capability table of the models Framefill can call, owned by the backend and imported by
// the panel (for its fallback when a backend predates GET /v1/models, and for the types). Facts
// from shared/REFERENCE.md: gpt-image-2 (2026-04-21); gpt-image-2.5 Flare and Sunburst
// (2026-09-08), same sizes and token prices, plus the xhigh and max qualities gpt-image-2 refuses.
// A deployment offers a subset (FRAMEFILL_ALLOWED_MODELS); GET /v1/models serves it with the
// prices the deployment uses.
import { MAX_PARTIAL_IMAGES, MAX_PROMPT_CHARS, MAX_REFERENCE_IMAGES } from './contract';
import { USD_PER_MILLION, type Tier, type TokenPrices } from './pricing';
import { EXPERIMENTAL_ABOVE_PIXELS, MAX_ASPECT, MAX_PIXELS, MAX_SIDE, MIN_PIXELS, SIZE_MULTIPLE } from './size-rules';

export const MODEL_IDS = ['gpt-image-2', 'gpt-image-2.5-flare', 'gpt-image-2.5-sunburst'] as const;
export type ModelId = (typeof MODEL_IDS)[number];
export const DEFAULT_MODEL_ID: ModelId = 'gpt-image-2';

export interface SizeRules {
  multipleOf: number;
  maxSide: number;
  maxPixels: number;
  minPixels: number;
  /** long side : short side at most this */
  maxAspect: number;
  /** sizes above this many pixels are experimental */
  experimentalAbovePixels: number;
}

export interface ModelLimits {
  maxPromptChars: number;
  /** images per request (`n`) */
  maxImages: number;
  /** reference images per edit */
  maxReferenceImages: number;
  maxPartialImages: number;
}

export interface ModelInfo {
  id: ModelId;
  /** short name for the picker */
  label: string;
  /** one line on what the model is for */
  purpose: string;
  /** dated snapshots that resolve to this model (billed and validated as it) */
  snapshots: readonly string[];
  /** the quality tiers it takes, cheapest first; every model also takes `auto` */
  tiers: readonly Tier[];
  /** `background: transparent` (with PNG or WebP output): 'preview' where OpenAI calls it that */
  transparent: 'yes' | 'preview';
  /** whether OpenAI streams it (stream: true with partial images); the backend falls back if refused */
  streaming: boolean;
  limits: ModelLimits;
  sizes: SizeRules;
  usdPerMillion: TokenPrices;
}

const FAMILY_SIZES: SizeRules = {
  multipleOf: SIZE_MULTIPLE,
  maxSide: MAX_SIDE,
  maxPixels: MAX_PIXELS,
  minPixels: MIN_PIXELS,
  maxAspect: MAX_ASPECT,
  experimentalAbovePixels: EXPERIMENTAL_ABOVE_PIXELS,
};

const FAMILY_LIMITS: ModelLimits = {
  maxPromptChars: MAX_PROMPT_CHARS,
  maxImages: 10,
  maxReferenceImages: MAX_REFERENCE_IMAGES,
  maxPartialImages: MAX_PARTIAL_IMAGES,
};

/** What the 2.5 family shares (released 2026-09-08): gpt-image-2's sizes and prices, plus xhigh and max. */
const GPT_IMAGE_2_5 = {
  tiers: ['low', 'medium', 'high', 'xhigh', 'max'],
  transparent: 'yes',
  streaming: true,
  limits: FAMILY_LIMITS,
  sizes: FAMILY_SIZES,
  usdPerMillion: USD_PER_MILLION,
} as const satisfies Partial<ModelInfo>;

export const MODELS: readonly ModelInfo[] = [
  {
    id: 'gpt-image-2',
    label: 'GPT Image 2',
    purpose: 'The default: dependable quality at published prices.',
    snapshots: ['gpt-image-2-2026-04-21'],
    tiers: ['low', 'medium', 'high'],
    transparent: 'preview',
    streaming: true,
    limits: FAMILY_LIMITS,
    sizes: FAMILY_SIZES,
    usdPerMillion: USD_PER_MILLION,
  },
  {
    id: 'gpt-image-2.5-flare',
    label: '2.5 Flare',
    purpose: 'Fast: about half the wait, for drafts and exploring.',
    snapshots: ['gpt-image-2.5-flare-2026-09-08'],
    ...GPT_IMAGE_2_5,
  },
  {
    id: 'gpt-image-2.5-sunburst',
    label: '2.5 Sunburst',
    purpose: 'Precise: the most capable at exact edits, for finals.',
    snapshots: ['gpt-image-2.5-sunburst-2026-09-08'],
    ...GPT_IMAGE_2_5,
  },
];

/** The model an id or dated snapshot names, or undefined when Framefill does not know it. */
export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id || m.snapshots.includes(id));
}

/** Whether `model` takes `quality` ('auto' always). */
export function takesQuality(model: ModelInfo, quality: Tier | 'auto'): boolean {
  return quality === 'auto' || model.tiers.includes(quality);
}

/** The dearest tier a model takes: what quality `auto` is reserved at. */
export function topTier(model: ModelInfo): Tier {
  return model.tiers[model.tiers.length - 1] ?? 'high';
}
