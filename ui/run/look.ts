// Lock the look (issue 14): one image sets the palette, light and rendering of a whole batch.
// Without a chosen layer the run's first job goes alone; every other job waits for its image and
// then goes as an edit carrying it as one more reference. A pinned layer chosen as the look needs
// no sequencing: pinned references already go with every job. Pure: controller.ts holds the jobs.
import { roundUsd } from '../../backend/pricing';
import { sumUsd } from '../lib/cost-estimate';
import { formatUsd } from '../lib/format';
import { base64ImageInfo, base64ToBytes } from '../lib/image-bytes';
import type { SourceImage } from '../lib/image-canvas';
import { withTotal, type Plan } from '../lib/plan';
import type { JobSpec } from './job';

/** The image that sets the look: a result already in the panel, as base64. */
export interface LookImage {
  b64: string;
  width: number;
  height: number;
}

/** 'first': the run's first finished image; otherwise the id of a pinned reference layer. */
export type LookSource = 'first' | { pinnedId: string };

/** A run sequences only when the look comes from its own first image and there is a rest to send it with. */
export function sequencesLook(on: boolean, jobCount: number, source: LookSource, pinnedIds: readonly string[]): boolean {
  if (!on || jobCount < 2) return false;
  // A chosen layer that was unpinned since falls back to the first image.
  return source === 'first' || !pinnedIds.includes(source.pinnedId);
}

/** The plan as Lock the look runs it: every job after the first sends one more input image. */
export function withLookEstimate(plan: Plan, extraUsd: number): Plan {
  if (plan.jobs.length < 2) return plan;
  const jobs = plan.jobs.map((job, i) => (i === 0 ? job : { ...job, kind: 'edit' as const, estimateUsd: roundUsd(job.estimateUsd + extraUsd) }));
  const totalUsd = sumUsd(jobs.map((j) => j.estimateUsd));
  // The plan line ends with its total: say the look, then the new total.
  return { ...plan, jobs, totalUsd, text: withTotal(plan.text, `one look · ≈ ${formatUsd(totalUsd)}`) };
}

/**
 * A job's spec once the look has arrived: an edit with the look image sent after its own inputs.
 * The extra input is added to the estimate once, however often the look changes. `from`: the
 * frame that shows the look on the canvas, if one does (a job recovered after the panel closed
 * has no image, only that frame to export it from again).
 */
export function withLook(spec: JobSpec, look: LookImage, extraUsd: number, from: string | null = null): JobSpec {
  const { lookFrom: _stale, ...rest } = spec;
  return { ...rest, kind: 'edit', look, ...(from ? { lookFrom: from } : {}), estimateUsd: spec.look || spec.lookFrom ? spec.estimateUsd : roundUsd(spec.estimateUsd + extraUsd) };
}

/**
 * The look as an upload: its own bytes, PNG or JPEG as the model returned them. execute.ts fits it
 * within the job's export side like an exported layer; prepareEditUploads shrinks it with the other
 * inputs when the body budget asks.
 */
export function lookSource(look: LookImage): SourceImage {
  const format = base64ImageInfo(look.b64)?.format === 'jpeg' ? 'jpeg' : 'png';
  return { bytes: base64ToBytes(look.b64), format, width: look.width, height: look.height, name: `look.${format === 'jpeg' ? 'jpg' : 'png'}` };
}

/** The jobs of a run that "Re-run the rest" sends again: every other finished one (none still going). */
export function restOfRun<J extends { id: string; runId: string; status: string }>(jobs: readonly J[], lookJobId: string, busy: ReadonlySet<string>): J[] {
  const look = jobs.find((j) => j.id === lookJobId);
  if (!look) return [];
  return jobs.filter((j) => j.runId === look.runId && j.id !== lookJobId && !busy.has(j.status));
}
