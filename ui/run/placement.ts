// Putting results on the canvas: the `place` request, then `remove-pending` (the run is no longer
// at risk). History records every delivered image on its own (model/history-record.ts).
import { roundUsd } from '../../backend/pricing';
import { oneLine } from '../../common/text';
import type { Provenance } from '../../plugin/messages';
import { shownUsd } from '../lib/cost-estimate';
import { base64ToBytes } from '../lib/image-bytes';
import type { RunContext } from './context';
import { placeEditOf } from './job';

export async function placeResults(ctx: RunContext, jobId: string, which: number | 'all'): Promise<void> {
  const job = ctx.job(jobId);
  if (!job || job.results.length === 0 || job.status === 'placing') return;
  const indices = which === 'all' ? job.results.map((_, i) => i) : [which];
  const chosen = indices.map((i) => job.results[i]).filter((r) => r !== undefined);
  if (chosen.length === 0) return;
  const { spec } = job;
  const now = ctx.deps.now();
  // Each image carries its share of the request's cost the first time it is placed, so history
  // adds up to what was billed; placing the same image again (also after an Undo) costs nothing.
  const fresh = chosen.filter((r) => !r.placed && !r.placement).length;
  const costUsd = roundUsd((shownUsd(job.cost).usd * fresh) / Math.max(1, spec.n, job.results.length));
  const provenance: Provenance = {
    prompt: spec.prompt,
    tier: spec.tier,
    size: spec.size,
    // what the backend billed (framefill.model), else what was asked
    model: job.model ?? spec.model,
    costUsd,
    createdAt: Math.floor(now),
    referenceIds: spec.referenceIds,
    requestId: job.requestId,
    ...(spec.transparent ? { transparent: true } : {}),
    // (issue 15) what an edit tool did, and to which image
    ...(spec.tool ? { action: spec.tool.tool, ...(spec.tool.parentHash ? { parentImageHash: spec.tool.parentHash } : {}) } : {}),
  };
  ctx.patch(jobId, { status: 'placing', placeError: null });
  try {
    const placed = await ctx.deps.requester.place({
      type: 'place',
      targetId: spec.targetId,
      images: chosen.map((r) => ({ bytes: base64ToBytes(r.b64), width: r.width, height: r.height })),
      mode: chosen.length > 1 ? 'all' : 'one',
      name: layerName(spec.prompt),
      provenance,
      ...(spec.tool ? { edit: placeEditOf(spec.tool) } : {}),
    });
    const results = job.results.map((r, i) => (indices.includes(i) ? { ...r, placed: true, placement: { rid: placed.rid, slot: indices.indexOf(i) } } : r));
    ctx.patch(jobId, (j) => ({
      results,
      status: results.every((r) => r.placed) ? 'placed' : 'done',
      notices: [...j.notices, ...placed.notices],
    }));
    ctx.pending.remove(job.requestId);
  } catch (error) {
    ctx.patch(jobId, { status: 'done', placeError: error instanceof Error ? error.message : String(error) });
  }
}

/** The user doesn't want these results: forget them here and in the sandbox's pending list. */
export function discardJob(ctx: RunContext, jobId: string): void {
  const job = ctx.job(jobId);
  if (!job) return;
  ctx.pending.remove(job.requestId);
  ctx.store.update((state) => ({ ...state, jobs: state.jobs.filter((j) => j.id !== jobId) }));
}

export function layerName(prompt: string): string {
  return oneLine(prompt, 60) || 'Framefill image';
}
