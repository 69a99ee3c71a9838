// Draft → Finalize and bulk re-run (issue 14), as pure plans over Framefill's images and their
// provenance: which request each image gets, what it costs, and what finalizing only the chosen
// drafts saves against taking every draft to the final setting. Prices come from backend/pricing
// through cost-estimate, as every other estimate in the panel.
import { appendSuffix } from './prompt-suffix';
import type { PriceBook, Tier } from '../../backend/pricing';
import { findModel } from '../../backend/models';
import { isExperimental, parseSize, type Size } from '../../backend/size-rules';
import type { FramefillImage } from '../../plugin/messages';
import { requestEstimate, sumUsd } from './cost-estimate';
import { formatUsd, plural } from './format';
import { planSize } from './size-planner';

/** The setting drafts are taken to (Finalize) or images are re-run at (bulk re-run). */
export interface FinalChoice {
  model: string;
  tier: Tier;
  /** the model's prices, as the backend serves them */
  book?: PriceBook;
  /** the model can make a transparent background (an image made transparent stays so) */
  transparentOk?: boolean;
  /** HD: at twice the layer's size (the draft's aspect kept); otherwise the draft's own size */
  hd?: boolean;
  /** the style kit in use: a bulk re-run sends each recorded prompt with its suffix (a brand refresh); Finalize keeps the draft's prompt */
  suffix?: string;
}

/**
 * finalize: an edit with the draft itself as the reference (its look survives, its detail rises);
 * rerun: a fresh generation from the recorded prompt (a brand refresh, a new model).
 */
export type RerunMode = 'finalize' | 'rerun';

export interface RerunJob {
  image: FramefillImage;
  kind: 'generate' | 'edit';
  /** the resolved prompt the image was made with, as recorded on it */
  prompt: string;
  model: string;
  tier: Tier;
  /** the size it was made at: replacing in place keeps the frame's framing */
  size: string;
  outputFormat: 'png' | 'jpeg';
  transparent: boolean;
  estimateUsd: number;
}

const FALLBACK_SIZE: Size = { width: 1024, height: 1024 };

const family = (model: string) => findModel(model)?.id ?? model;

/** Already made at the final setting (same model family and tier): not a draft of it. */
export function isAtFinal(image: FramefillImage, choice: FinalChoice): boolean {
  return image.provenance.tier === choice.tier && family(image.provenance.model) === family(choice.model);
}

/**
 * The size to ask for: the draft's own, or for HD the size planner's 2× size for the layer at the
 * draft's aspect (so the final crops exactly as the draft did), never below the draft's.
 */
export function finalSize(image: FramefillImage, hd: boolean): Size {
  const draft = parseSize(image.provenance.size) ?? FALLBACK_SIZE;
  if (!hd) return draft;
  const scale = Math.max(image.width / draft.width, image.height / draft.height);
  const planned = planSize({ width: draft.width * scale, height: draft.height * scale }, { mode: 'auto', hd: true, custom: draft }).size;
  // A small layer's 2× can be fewer pixels than the draft already has: never finalize smaller.
  return planned.width * planned.height > draft.width * draft.height ? planned : draft;
}

export function rerunJob(image: FramefillImage, choice: FinalChoice, mode: RerunMode): RerunJob {
  const { provenance } = image;
  const size = finalSize(image, choice.hd === true);
  const transparent = provenance.transparent === true && choice.transparentOk === true;
  const kind = mode === 'finalize' ? 'edit' : 'generate';
  const prompt = mode === 'rerun' ? appendSuffix(provenance.prompt, choice.suffix ?? '') : provenance.prompt;
  return {
    image,
    kind,
    prompt,
    model: choice.model,
    tier: choice.tier,
    size: `${size.width}x${size.height}`,
    outputFormat: !transparent && isExperimental(size) ? 'jpeg' : 'png',
    transparent,
    estimateUsd: requestEstimate({ tier: choice.tier, size, n: 1, references: kind === 'edit' ? 1 : 0, promptChars: prompt.length, book: choice.book }),
  };
}

export interface FinalizePlan {
  /** one edit per selected draft */
  jobs: RerunJob[];
  totalUsd: number;
  /** the drafts on the page: the selected ones and every other image not at the final setting */
  drafts: number;
  /** what finalizing every draft would cost */
  allUsd: number;
  /** "Finalizing 3 of 12 drafts: ≈ $0.66 instead of ≈ $2.64 for all 12", or why nothing is to finalize */
  line: string;
}

export function finalizePlan(selected: readonly FramefillImage[], onPage: readonly FramefillImage[], choice: FinalChoice): FinalizePlan {
  const chosen = selected.filter((image) => !isAtFinal(image, choice));
  const chosenIds = new Set(chosen.map((image) => image.id));
  const others = onPage.filter((image) => !chosenIds.has(image.id) && !isAtFinal(image, choice));
  const drafts = [...chosen, ...others];
  const jobs = chosen.map((image) => rerunJob(image, choice, 'finalize'));
  const totalUsd = sumUsd(jobs.map((j) => j.estimateUsd));
  const allUsd = sumUsd(drafts.map((image) => rerunJob(image, choice, 'finalize').estimateUsd));
  return { jobs, totalUsd, drafts: drafts.length, allUsd, line: finalizeLine(jobs.length, drafts.length, totalUsd, allUsd, selected.length) };
}

function finalizeLine(chosen: number, drafts: number, totalUsd: number, allUsd: number, selected: number): string {
  if (chosen === 0) return selected === 1 ? 'The selected image is already at this setting.' : 'The selected images are already at this setting.';
  if (chosen === drafts) return `Finalizing ${plural(chosen, 'draft')}: ≈ ${formatUsd(totalUsd)}`;
  return `Finalizing ${chosen} of ${drafts} drafts: ≈ ${formatUsd(totalUsd)} instead of ≈ ${formatUsd(allUsd)} for all ${drafts}`;
}

export interface RerunPlan {
  jobs: RerunJob[];
  totalUsd: number;
  /** "Re-run 3 images as new generations: ≈ $0.16" */
  line: string;
}

/** Bulk re-run: every selected Framefill image, a fresh generation from its recorded prompt. */
export function rerunPlan(selected: readonly FramefillImage[], choice: FinalChoice): RerunPlan {
  const jobs = selected.map((image) => rerunJob(image, choice, 'rerun'));
  const totalUsd = sumUsd(jobs.map((j) => j.estimateUsd));
  return { jobs, totalUsd, line: `Re-run ${plural(jobs.length, 'image')} from ${jobs.length === 1 ? 'its' : 'their'} recorded prompt${jobs.length === 1 ? '' : 's'}: ≈ ${formatUsd(totalUsd)}` };
}
