// What the panel tracks about one request: its spec (what to ask for), its progress, results
// and cost. A run is a set of jobs, one per target (or one for the viewport).
import type { Tier } from '../../backend/pricing';
import { isExperimental, parseSize } from '../../backend/size-rules';
import type { PendingRun, PlaceEdit } from '../../plugin/messages';
import type { Rect } from '../lib/edit-geometry';
import { DEFAULT_MODEL } from '../../plugin/settings-defaults';
import { builtInBook } from '../lib/model-catalog';
import { EXPORT_MAX_SIDE } from '../config';
import { estimated, requestEstimate, type CostState } from '../lib/cost-estimate';
import type { UserError } from '../lib/error-messages';
import type { PlanJob } from '../lib/plan';
import type { LookImage } from './look';

/** One request to run: what the plan decided for a target, with the prompt and tier it runs with. */
export type JobSpec = Pick<
  PlanJob,
  'kind' | 'n' | 'referenceIds' | 'sendsTarget' | 'maskId' | 'exportMaxSide' | 'outputFormat' | 'model' | 'transparent' | 'estimateUsd'
> & {
  targetId: string | null;
  targetName: string;
  /** the target's container (the card a "Photo" sits in): twenty cards of one name stay apart */
  targetContext?: string;
  prompt: string;
  tier: Tier;
  /** "1536x1024" */
  size: string;
  /** (issue 14, finalize) an edit whose result replaces Framefill's image on the target itself */
  inPlace?: boolean;
  /** (issue 14, look) the batch's look image, sent after the job's own inputs */
  look?: LookImage;
  /** (issue 14, look) the frame that shows the look image: a recovered job's retry exports the look from it */
  lookFrom?: string;
  /** (issue 15) an edit tool's job: what it exports and how its result is placed */
  tool?: ToolJob;
};

/** (issue 15) An edit tool's job on one image target (`targetId`). */
export interface ToolJob extends PlaceEdit {
  /** what goes as the image to edit: the fill's image as stored (expand, upscale) or the target as its fills show it (area, cutout) */
  source: 'image' | 'fill';
  /** expand: where the whole image goes on the request's canvas (request px); the rest is the margin to paint */
  expandRect?: Rect;
}

export type JobStatus =
  | 'queued'
  | 'exporting'
  | 'running'
  /** a retry is waiting (rate limit or connection trouble) */
  | 'waiting'
  /** results are in and not all placed */
  | 'done'
  | 'placing'
  | 'placed'
  | 'failed'
  | 'cancelled';

export interface ResultImage {
  b64: string;
  width: number;
  height: number;
  /** shows on the canvas: set when placed, cleared when an Undo (or an edit) takes it away */
  placed: boolean;
  /** its latest placement: the `placed` reply's rid and its position in that reply */
  placement?: { rid: string; slot: number };
}

export interface JobState {
  /** stable key for the UI */
  id: string;
  /** the Idempotency-Key of the current attempt */
  requestId: string;
  spec: JobSpec;
  status: JobStatus;
  startedAt: number | null;
  finishedAt: number | null;
  /** latest streamed preview (base64) */
  partial: string | null;
  results: ResultImage[];
  cost: CostState;
  model: string | null;
  error: UserError | null;
  /** a placement that failed; the results stay so the user can try again */
  placeError: string | null;
  wait: { message: string; until: number } | null;
  notices: string[];
  /** came back from a run that outlived an earlier panel */
  recovered: boolean;
  /** place as soon as the result arrives (one variation: the designer expects the frame to fill) */
  autoPlace: boolean;
  /** jobs started by one click of Run share this; recovered jobs have their own */
  runId: string;
  /** (issue 14, look) held until the run's first image, which sets the look, arrives */
  waitsForLook?: boolean;
}

export const ACTIVE: ReadonlySet<JobStatus> = new Set(['queued', 'exporting', 'running', 'waiting']);
/** Statuses whose images arrived: paid, placed or not. */
export const DELIVERED: ReadonlySet<JobStatus> = new Set(['done', 'placing', 'placed']);

export function specFromPlan(job: PlanJob, prompt: string, tier: Tier): JobSpec {
  return {
    kind: job.kind,
    targetId: job.target?.id ?? null,
    targetName: job.target?.name ?? 'New image',
    ...(job.target?.parentName ? { targetContext: job.target.parentName } : {}),
    prompt,
    tier,
    size: job.size.text,
    n: job.n,
    referenceIds: job.referenceIds,
    sendsTarget: job.sendsTarget,
    maskId: job.maskId,
    exportMaxSide: job.exportMaxSide,
    outputFormat: job.outputFormat,
    model: job.model,
    transparent: job.transparent,
    estimateUsd: job.estimateUsd,
  };
}

/** (issue 15) How a tool job's result is placed: what the `place` message and the pending run carry. */
export function placeEditOf(tool: ToolJob): PlaceEdit {
  return { tool: tool.tool, parentHash: tool.parentHash, areaId: tool.areaId };
}

/** (issue 15) A recovered tool run: what it exports is the tool's; Expand's layout isn't kept (a retry says so). */
function toolOfPending(edit: PlaceEdit): ToolJob {
  return { ...edit, source: edit.tool === 'expand' || edit.tool === 'upscale' ? 'image' : 'fill' };
}

/** A run recorded before the panel closed; enough to show, place and (if asked) redo it. */
export function specFromPending(run: PendingRun): JobSpec {
  const size = parseSize(run.size) ?? { width: 1024, height: 1024 };
  // A frame of a locked run is an edit for the look it carries, not for its own (empty) frame.
  const sendsTarget = run.kind === 'edit' && run.targetId !== null && !run.lookFrom;
  // Runs stored before the model picker were gpt-image-2, opaque.
  const model = run.model ?? DEFAULT_MODEL;
  const transparent = run.transparent ?? false;
  return {
    kind: run.kind,
    targetId: run.targetId,
    targetName: run.targetName,
    ...(run.targetContext ? { targetContext: run.targetContext } : {}),
    ...(run.lookFrom ? { lookFrom: run.lookFrom } : {}),
    prompt: run.prompt,
    tier: run.tier,
    size: run.size,
    n: run.variations,
    referenceIds: run.referenceIds,
    sendsTarget,
    maskId: null,
    exportMaxSide: Math.max(EXPORT_MAX_SIDE, size.width, size.height),
    // (issue 15) tools other than Upscale keep PNG (alpha-safe)
    outputFormat: !transparent && isExperimental(size) && (!run.edit || run.edit.tool === 'upscale') ? 'jpeg' : 'png',
    model,
    transparent,
    ...(run.edit ? { tool: toolOfPending(run.edit) } : {}),
    // The bill replaces this as soon as the result is fetched.
    estimateUsd: requestEstimate({ tier: run.tier, size, n: run.variations, references: run.referenceIds.length + (sendsTarget ? 1 : 0) + (run.lookFrom ? 1 : 0), promptChars: run.prompt.length, book: builtInBook(model) }),
  };
}

export function newJob(id: string, requestId: string, spec: JobSpec, runId = id): JobState {
  return {
    id,
    runId,
    requestId,
    spec,
    status: 'queued',
    startedAt: null,
    finishedAt: null,
    partial: null,
    results: [],
    cost: estimated(spec.estimateUsd),
    model: null,
    error: null,
    placeError: null,
    wait: null,
    notices: [],
    recovered: false,
    autoPlace: spec.n === 1,
  };
}

export function pendingOf(job: JobState, now: number): PendingRun {
  const { spec } = job;
  return {
    requestId: job.requestId,
    kind: spec.kind,
    targetId: spec.targetId,
    targetName: spec.targetName,
    ...(spec.targetContext ? { targetContext: spec.targetContext } : {}),
    ...(spec.lookFrom ? { lookFrom: spec.lookFrom } : {}),
    prompt: spec.prompt,
    tier: spec.tier,
    size: spec.size,
    variations: spec.n,
    referenceIds: spec.referenceIds,
    startedAt: Math.floor(job.startedAt ?? now),
    model: spec.model,
    transparent: spec.transparent,
    ...(spec.tool ? { edit: placeEditOf(spec.tool) } : {}),
  };
}
