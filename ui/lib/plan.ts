// From the selection and the form to a list of jobs and the one-line summary shown before Run.
// Pure: the plan line, the Run button's state and the orchestrator all read the same plan.
import type { Selection, Settings, Skipped, Target } from '../../plugin/messages';
import type { PriceBook } from '../../backend/pricing';
import { isExperimental } from '../../backend/size-rules';
import { DEFAULT_MODEL } from '../../plugin/settings-defaults';
import { EXPORT_MAX_SIDE } from '../config';
import { requestEstimate, sumUsd } from './cost-estimate';
import { formatUsd, plural } from './format';
import { previewUsd } from './previews';
import { fieldList, fieldValues, hasFields, resolvePrompt, type FieldName } from './prompt-fields';
import { exportSideFor, planSize, type PlannedSize, type SizeNote } from './size-planner';

export type FormChoice = Pick<Settings, 'tier' | 'sizeMode' | 'customWidth' | 'customHeight' | 'hd' | 'variations'> & {
  /** the model id (default gpt-image-2) */
  model?: string;
  /** a transparent background, where the model allows it */
  transparent?: boolean;
  /** the model's prices, as the backend serves them */
  book?: PriceBook;
};

export interface PinnedRef {
  id: string;
  name: string;
}

export interface PlanJob {
  /** the target's id, or "viewport" when nothing is selected */
  key: string;
  target: Target | null;
  /** generate: text only; edit: the target's export (if it has content) and/or pinned references */
  kind: 'generate' | 'edit';
  action: 'fill' | 'restyle' | 'new';
  size: PlannedSize;
  n: number;
  /** pinned references sent after the target's own export */
  referenceIds: string[];
  /** the target itself is exported and sent first */
  sendsTarget: boolean;
  maskId: string | null;
  exportMaxSide: number;
  outputFormat: 'png' | 'jpeg';
  model: string;
  transparent: boolean;
  estimateUsd: number;
  /** (issue 14) this target's own prompt: its line's edit, else the form's, with fields filled */
  prompt: string;
  /** its line was edited for this frame alone */
  edited: boolean;
  /** fields with nothing to fill for this target (a plan problem; never sent as written) */
  missing: FieldName[];
}

export interface Plan {
  jobs: PlanJob[];
  /** "Fill 3 empty frames · restyle 1 layer · 8 images · ≈ $0.42" */
  text: string;
  images: number;
  /** what the run costs Now, stream previews included */
  totalUsd: number;
  /** the part of totalUsd that pays for stream previews, which an overnight batch doesn't make */
  previewUsd: number;
  /** anything that stops the run (shown inline; Run is disabled) */
  problems: string[];
  /** the size planner's notes, identical ones grouped (first seen first) */
  notes: PlanNote[];
  skipped: Skipped[];
  /** the prompt holds a field: every target's own prompt is shown before the run */
  fields: boolean;
}

export interface PlanNote {
  /** one line: the layer's own note, or one line for every layer it applies to */
  text: string;
  /** the layers it is about, in selection order (empty for a new image) */
  names: string[];
}

export interface PlanInput {
  selection: Selection;
  pinned: PinnedRef[];
  choice: FormChoice;
  promptChars: number;
  /** the form's prompt, fields unresolved (without it jobs carry an empty prompt) */
  prompt?: string;
  /** per-target edits of their line, by target id */
  overrides?: Readonly<Record<string, string>>;
  /** (issue 16) the run goes Overnight, which takes more layers */
  overnight?: boolean;
}

/** A run this large is almost certainly a mis-selection; spend is real money. */
export const MAX_TARGETS_PER_RUN = 50;
/**
 * Overnight takes a whole design system in one Run (issue 16's 200 frames): nothing is watched
 * frame by frame, and the panel splits the items into as many batches as the backend takes.
 */
export const MAX_OVERNIGHT_TARGETS = 200;

/** How many layers one Run may take: Now, or Overnight. */
export function maxTargets(overnight: boolean): number {
  return overnight ? MAX_OVERNIGHT_TARGETS : MAX_TARGETS_PER_RUN;
}

/** Why a selection is too large for one Run; a Now run too large for its cap hears that Overnight takes more. */
function tooManyTargets(count: number, overnight: boolean): string | null {
  if (count <= maxTargets(overnight)) return null;
  if (overnight) return `Select at most ${MAX_OVERNIGHT_TARGETS} layers per overnight run (${count} are selected).`;
  const later = count <= MAX_OVERNIGHT_TARGETS ? ` — or run them Overnight, which takes up to ${MAX_OVERNIGHT_TARGETS}` : '';
  return `Select at most ${MAX_TARGETS_PER_RUN} layers per run (${count} are selected)${later}.`;
}

const FRAME_TYPES = new Set(['FRAME', 'COMPONENT', 'INSTANCE', 'SECTION', 'COMPONENT_SET']);

export function buildPlan({ selection, pinned, choice, promptChars, prompt = '', overrides = {}, overnight = false }: PlanInput): Plan {
  const pinnedIds = new Set(pinned.map((p) => p.id));
  // A pinned reference is an input, not something to overwrite.
  const targets = selection.targets.filter((t) => !pinnedIds.has(t.id));
  const sizeChoice = { mode: choice.sizeMode, hd: choice.hd, custom: { width: choice.customWidth, height: choice.customHeight } };
  const referenceIds = pinned.map((p) => p.id);
  const n = choice.variations;
  const transparent = choice.transparent ?? false;

  const makeJob = (target: Target | null): PlanJob => {
    const size = planSize(target ? { width: target.width, height: target.height } : null, sizeChoice);
    const sendsTarget = target !== null && !target.empty;
    const kind = sendsTarget || referenceIds.length > 0 ? 'edit' : 'generate';
    const images = (sendsTarget ? 1 : 0) + referenceIds.length;
    const key = target?.id ?? 'viewport';
    const edited = Object.hasOwn(overrides, key);
    const resolved = resolvePrompt(edited ? overrides[key]! : prompt, fieldValues(target));
    return {
      key,
      target,
      kind,
      action: target === null ? 'new' : target.empty ? 'fill' : 'restyle',
      size,
      n,
      referenceIds,
      sendsTarget,
      maskId: sendsTarget ? target.maskId : null,
      exportMaxSide: choice.hd ? exportSideFor(size.size, EXPORT_MAX_SIDE) : EXPORT_MAX_SIDE,
      // Big results as JPEG keep responses (and the 5 MB clientStorage) small; Figma can't take
      // WebP. Transparency needs PNG's alpha, whatever the size.
      outputFormat: !transparent && (choice.hd || isExperimental(size.size)) ? 'jpeg' : 'png',
      model: choice.model ?? DEFAULT_MODEL,
      transparent,
      estimateUsd: requestEstimate({ tier: choice.tier, size: size.size, n, references: kind === 'edit' ? images : 0, promptChars: prompt ? resolved.prompt.length : promptChars, book: choice.book }),
      prompt: resolved.prompt.trim(),
      edited,
      missing: resolved.missing,
    };
  };

  const jobs = targets.length > 0 ? targets.map(makeJob) : [makeJob(null)];
  const images = jobs.length * n;
  const totalUsd = sumUsd(jobs.map((j) => j.estimateUsd));

  const problems: string[] = [];
  const sizeProblem = jobs.find((j) => j.size.problem)?.size.problem;
  if (sizeProblem) problems.push(sizeProblem);
  const tooMany = tooManyTargets(targets.length, overnight);
  if (tooMany) problems.push(tooMany);
  problems.push(...fieldProblems(jobs, [prompt, ...jobs.filter((j) => j.edited).map((j) => overrides[j.key]!)]));

  const notes = groupNotes(jobs.flatMap((j) => j.size.notes.map((note) => ({ name: j.target?.name ?? null, note }))));
  const fields = hasFields(prompt) || jobs.some((j) => j.edited);
  const previews = previewUsd(choice.tier, images, choice.book);
  return { jobs, text: planText(jobs, referenceIds.length, images, totalUsd), images, totalUsd, previewUsd: previews, problems, notes, skipped: selection.skipped, fields };
}

/**
 * A field with nothing to fill is flagged, never sent as a literal `{text}`; so is a `{word}` that
 * is no field (a typo of one, or a field Framefill doesn't have).
 */
function fieldProblems(jobs: PlanJob[], prompts: string[]): string[] {
  const problems: string[] = [];
  const unknown = [...new Set(prompts.flatMap((p) => resolvePrompt(p, fieldValues(null)).unknown))];
  if (unknown.length) problems.push(`${fieldList(unknown)} ${unknown.length === 1 ? 'is not a field' : 'are not fields'} — the fields are {text}, {name} and {parent}.`);
  const unfilled = jobs.filter((j) => j.missing.length > 0);
  if (unfilled.length === 0) return problems;
  const missing = fieldList([...new Set(unfilled.flatMap((j) => j.missing))]);
  if (unfilled[0]!.target === null) problems.push(`${missing} needs a selected frame to fill it from — select the frames, or take the field out.`);
  else if (unfilled.length === 1) problems.push(`“${unfilled[0]!.target.name}” has nothing for ${missing} — edit its line below, or take the field out.`);
  else {
    const names = unfilled.slice(0, 3).map((j) => `“${j.target!.name}”`).join(', ');
    problems.push(`${unfilled.length} frames have nothing for ${missing} (${names}${unfilled.length > 3 ? ', …' : ''}) — edit their lines below, or take the field out.`);
  }
  return problems;
}

/** 20 wide banners make one line ("20 layers are wider than 3:1 …"), not 20 identical ones. */
export function groupNotes(notes: { name: string | null; note: SizeNote }[]): PlanNote[] {
  const groups = new Map<string, { note: SizeNote; names: string[] }>();
  for (const { name, note } of notes) {
    const group = groups.get(note.key) ?? { note, names: [] };
    if (name !== null) group.names.push(name);
    groups.set(note.key, group);
  }
  return [...groups.values()].map(({ note, names }) => ({ text: names.length > 1 ? note.many(names.length) : note.one, names }));
}

/** The plan line with its closing total ("… · 3 images · ≈ $0.16") replaced by `total` ("≈ $0.08 overnight"). */
export function withTotal(text: string, total: string): string {
  const at = text.lastIndexOf('≈ ');
  return at >= 0 ? `${text.slice(0, at)}${total}` : `${text} · ${total}`;
}

function planText(jobs: PlanJob[], references: number, images: number, totalUsd: number): string {
  const parts: string[] = [];
  const fills = jobs.filter((j) => j.action === 'fill');
  const restyles = jobs.filter((j) => j.action === 'restyle');
  if (jobs[0]?.action === 'new') {
    parts.push(images === 1 ? 'New image at the viewport centre' : 'New images at the viewport centre');
  } else {
    // A fill over Framefill's own image replaces it: say so, so the plan differs from an empty frame's.
    const replaces = fills.filter((j) => j.target!.framefillImage === true);
    const empties = fills.filter((j) => j.target!.framefillImage !== true);
    const noun = (group: PlanJob[]) => {
      const word = group.every((j) => FRAME_TYPES.has(j.target!.type)) ? 'frame' : 'layer';
      return group.length === 1 ? word : `${word}s`;
    };
    if (empties.length) parts.push(`fill ${empties.length} empty ${noun(empties)}`);
    if (replaces.length) parts.push(`replace the image in ${replaces.length} ${noun(replaces)}`);
    if (restyles.length) parts.push(`restyle ${plural(restyles.length, 'layer')}`);
  }
  if (references) parts.push(`with ${plural(references, 'reference')}`);
  parts.push(plural(images, 'image'));
  parts.push(`≈ ${formatUsd(totalUsd)}`);
  const text = parts.join(' · ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// (issue 14, look) Lock the look sends the batch's look image with every job after the first:
// one more input image each, priced as any reference (tier and size don't change it).
export function extraReferenceUsd(book?: PriceBook): number {
  return requestEstimate({ tier: 'low', size: { width: 0, height: 0 }, n: 0, references: 1, book });
}
