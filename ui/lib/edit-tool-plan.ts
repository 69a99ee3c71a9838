// (issue 15) The edit tools on one selected image, as pure plans: for each tool what it does, the
// size it asks for, the model and tier it runs with, its estimate, why it can't run (if so), its
// prefilled prompt, and the one job (JobSpec) it starts. The canvas geometry is edit-geometry.ts;
// prices come from backend/pricing through cost-estimate, as every other estimate in the panel.
import type { Tier } from '../../backend/pricing';
import { isExperimental } from '../../backend/size-rules';
import type { EditTool, Target } from '../../plugin/messages';
import { EXPORT_MAX_SIDE } from '../config';
import type { JobSpec, ToolJob } from '../run/job';
import { requestEstimate } from './cost-estimate';
import { expandLayout, upscaleSize, type Rect } from './edit-geometry';
import { formatUsd, humanSize } from './format';
import { nearestTier, type ModelChoice } from './model-catalog';
import { autoSizeFor, type PlannedSize } from './size-planner';

export const EDIT_TOOLS: readonly EditTool[] = ['expand', 'area', 'cutout', 'upscale'];

export const TOOL_LABEL: Readonly<Record<EditTool, string>> = { expand: 'Expand', area: 'Select area', cutout: 'Cut out', upscale: 'Upscale' };

/** One line on what each tool does, shown under the choice. */
export const TOOL_WHAT: Readonly<Record<EditTool, string>> = {
  expand: 'Paints the image out to its frame’s shape: the new margins are made, the image stays as it is.',
  area: 'Changes only an area you shape on the canvas; the rest of the image stays as it is.',
  cutout: 'Re-creates the subject on a transparent background, as a new layer above the image.',
  upscale: 'A re-render at twice the size, not a pixel-exact enlargement.',
};

/** Placeholders that teach the house habits: subject first, then camera and light, then style anchors; say what you want. */
export const TOOL_PLACEHOLDER: Readonly<Record<EditTool, string>> = {
  expand: 'What continues past the edges: the scene first, then its light and style',
  area: 'What goes in the area: the subject first, then its light and style — e.g. “a ceramic vase of dried flowers, soft window light, matching the photo”',
  cutout: 'The subject to keep, on a transparent background',
  upscale: 'The image, with the detail you want sharper',
};

/** Images kept this close to the model's largest size aren't worth a 2× re-render. */
const MIN_UPSCALE_FACTOR = 1.2;

/** The target a tool works on: one selected layer showing an image, or with its area layer. */
export type ToolTarget = Target & ({ image: NonNullable<Target['image']> } | { areaId: string });

/** The single selected target the tools offer themselves for, else null. */
export function toolTarget(targets: readonly Target[]): ToolTarget | null {
  if (targets.length !== 1) return null;
  const target = targets[0]!;
  return target.image || target.areaId ? (target as ToolTarget) : null;
}

// The tools' own sentences: what each asks after the image's subject. A tool's result records its
// prompt, so the next tool takes the subject back out of it instead of piling sentences up.
const EXPAND_TAIL = ' Continue the scene past the edges with the same light, perspective and style, seamless with the image.';
const UPSCALE_TAIL = ' The same image at a higher resolution: finer detail, crisp textures, same composition, colours and light.';
const CUTOUT_HEAD = 'The subject of this image alone on a transparent background: ';
const CUTOUT_TAIL = ' Whole, clean edges, same light and style.';

/** The subject of a recorded prompt, without the sentences earlier tools added to it. */
function promptSubject(recorded: string): string {
  let text = recorded.trim();
  for (let round = 0; round < 8; round++) {
    const before = text;
    for (const tail of [EXPAND_TAIL, UPSCALE_TAIL, CUTOUT_TAIL]) if (text.endsWith(tail)) text = text.slice(0, -tail.length).trim();
    if (text.startsWith(CUTOUT_HEAD)) text = text.slice(CUTOUT_HEAD.length).trim();
    if (text === before) break;
  }
  return text.replace(/[.\s]+$/, '');
}

/** The tool's prompt before the user writes one, from the image's recorded prompt when there is one. */
export function defaultToolPrompt(tool: EditTool, recorded?: string): string {
  const made = recorded ? promptSubject(recorded) : '';
  switch (tool) {
    case 'expand':
      return made ? `${made}.${EXPAND_TAIL}` : 'Continue the scene past the edges: the same setting, light, perspective and style, seamless with the image.';
    case 'area':
      // Required and the user's own: only they know what goes there.
      return '';
    case 'cutout':
      return made ? `${CUTOUT_HEAD}${made}.${CUTOUT_TAIL}` : 'The main subject of this image alone on a transparent background, whole with clean edges, same light and style.';
    case 'upscale':
      return made ? `${made}.${UPSCALE_TAIL}` : 'The same image at a higher resolution: finer detail, crisp textures, same composition, colours and light.';
  }
}

export interface ToolChoice {
  /** the form's model and tier (expand, area, cutout run with them) */
  model: ModelChoice;
  tier: Tier;
  /** the models the backend allows: Cut out takes the first with transparency when the form's has none */
  models: readonly ModelChoice[];
  /** Upscale's own tier (default high) */
  upscaleTier: Tier;
}

export interface ToolPlan {
  tool: EditTool;
  model: ModelChoice;
  tier: Tier;
  /** the request's size, null when the tool can't run on this target */
  size: PlannedSize | null;
  estimateUsd: number;
  /** why it can't run (shown instead of a clickable action); null when it can */
  reason: string | null;
  /** extra lines about the request: Upscale's size and cap, Cut out's model */
  notes: string[];
  /** expand: where the whole image goes on the canvas */
  expandRect?: Rect;
}

const NO_IMAGE = 'This layer shows no image fill — select a layer with an image.';

/** Cut out's model: the form's when it makes transparent backgrounds, else the first allowed one that does. */
export function cutoutModel(choice: Pick<ToolChoice, 'model' | 'models'>): ModelChoice | null {
  if (choice.model.transparent !== 'no') return choice.model;
  return choice.models.find((m) => m.transparent !== 'no') ?? null;
}

export function toolPlan(tool: EditTool, target: ToolTarget, choice: ToolChoice, promptChars: number): ToolPlan {
  const layer = { width: target.width, height: target.height };
  const { image } = target;
  const base = { tool, model: choice.model, tier: choice.tier, notes: [] as string[] };
  const priced = (plan: Omit<ToolPlan, 'estimateUsd'>): ToolPlan => ({
    ...plan,
    estimateUsd: plan.size ? requestEstimate({ tier: plan.tier, size: plan.size.size, n: 1, references: 1, promptChars, book: plan.model.book }) : 0,
  });
  switch (tool) {
    case 'expand': {
      if (!image) return priced({ ...base, size: null, reason: NO_IMAGE });
      const layout = expandLayout(layer, image, image);
      if (!layout.ok) return priced({ ...base, size: null, reason: layout.reason });
      return priced({ ...base, size: layout.size, reason: null, expandRect: layout.rect, notes: [`Canvas ${humanSize(layout.size.text)}, the image where the frame shows it.`] });
    }
    case 'area': {
      const size = autoSizeFor(layer);
      return priced({ ...base, size, reason: target.areaId ? null : 'Select area first: shape the area to change on the canvas.' });
    }
    case 'cutout': {
      const model = cutoutModel(choice);
      const size = autoSizeFor(layer);
      if (!model) return priced({ ...base, size: null, reason: 'None of the models this backend allows makes transparent backgrounds, so Cut out isn’t available.' });
      const notes = model.id === choice.model.id ? [] : [`Runs with ${model.label}: ${choice.model.label} makes no transparent backgrounds.`];
      return priced({ ...base, model, tier: nearestTier(model.tiers, choice.tier), size, reason: null, notes });
    }
    case 'upscale': {
      if (!image) return priced({ ...base, size: null, reason: NO_IMAGE });
      const { size, factor } = upscaleSize(image);
      const tier = nearestTier(choice.model.tiers, choice.upscaleTier);
      if (factor < MIN_UPSCALE_FACTOR) return priced({ ...base, tier, size: null, reason: `The image (${image.width}×${image.height}) is already about as large as the model makes images.` });
      const notes = [
        `${image.width}×${image.height} → ${humanSize(size.text)}${factor < 2 ? ` (${factor}×: the model’s size limit caps it)` : ' (2×)'}${isExperimental(size.size) ? ' · experimental size' : ''}`,
      ];
      return priced({ ...base, tier, size, reason: null, notes });
    }
  }
}

/** What the plan's request costs at each tier its model takes (Upscale's tier choice shows these). */
export function tierEstimates(plan: ToolPlan, promptChars: number): { tier: Tier; usd: number }[] {
  const { size } = plan;
  if (!size) return [];
  return plan.model.tiers.map((tier) => ({ tier, usd: requestEstimate({ tier, size: size.size, n: 1, references: 1, promptChars, book: plan.model.book }) }));
}

/** Why Run is unavailable for a plan and prompt (the tool's own reason first); null when it can run. */
export function toolBlocked(plan: ToolPlan, prompt: string): string | null {
  if (plan.reason) return plan.reason;
  if (!prompt.trim()) return plan.tool === 'area' ? 'Say what goes in the area.' : 'Write a prompt for the tool.';
  return null;
}

/** The Run button's text: "Expand · ≈ $0.05" */
export function runLabel(plan: ToolPlan): string {
  const verb = plan.tool === 'area' ? 'Change area' : TOOL_LABEL[plan.tool];
  return plan.size ? `${verb} · ≈ ${formatUsd(plan.estimateUsd)}` : verb;
}

const SOURCE: Readonly<Record<EditTool, ToolJob['source']>> = { expand: 'image', upscale: 'image', area: 'fill', cutout: 'fill' };

/** Where the tool's image comes from: the fill's stored image (expand, upscale) or the layer as its fills show it (area, cutout). */
export const toolSource = (tool: EditTool): ToolJob['source'] => SOURCE[tool];

/** The one job a tool starts, or null when it can't run. */
export function toolSpec(plan: ToolPlan, target: ToolTarget, prompt: string): JobSpec | null {
  const text = prompt.trim();
  if (toolBlocked(plan, text) || !plan.size) return null;
  const { size } = plan;
  const transparent = plan.tool === 'cutout';
  const tool: ToolJob = {
    tool: plan.tool,
    parentHash: target.image?.hash ?? null,
    areaId: plan.tool === 'area' ? (target.areaId ?? null) : null,
    source: toolSource(plan.tool),
    ...(plan.expandRect ? { expandRect: plan.expandRect } : {}),
  };
  // Alpha-safe PNG for what keeps or makes transparency; a large upscale may go as JPEG, as generation does.
  const outputFormat = plan.tool === 'upscale' && isExperimental(size.size) ? 'jpeg' : 'png';
  const sourceSide = target.image ? Math.max(target.image.width, target.image.height) : 0;
  return {
    kind: 'edit',
    targetId: target.id,
    targetName: target.name,
    ...(target.parentName ? { targetContext: target.parentName } : {}),
    prompt: text,
    tier: plan.tier,
    size: size.text,
    n: 1,
    referenceIds: [],
    sendsTarget: true,
    maskId: null,
    // The image goes at the request's size or its own, whichever is larger (within Figma's export limit).
    exportMaxSide: Math.min(4096, Math.max(EXPORT_MAX_SIDE, size.size.width, size.size.height, plan.tool === 'upscale' ? sourceSide : 0)),
    outputFormat,
    model: plan.model.id,
    transparent,
    estimateUsd: plan.estimateUsd,
    tool,
  };
}
