// The sandbox's word on which placed images still show (after Undo, Redo or an edit): a result
// taken off the canvas stops saying "Placed" and can be placed again; a Redo puts it back.
import type { MessageOf, SandboxToUi } from '../../plugin/messages';
import type { RunState } from './context';
import type { JobState } from './job';

export type PlacementStatus = MessageOf<SandboxToUi, 'placements'>['placements'];

export function applyPlacementStatus(state: RunState, status: PlacementStatus): RunState {
  const byRid = new Map(status.map((p) => [p.rid, p.shown]));
  let changed = false;
  const jobs = state.jobs.map((job) => {
    const next = withStatus(job, byRid);
    if (next !== job) changed = true;
    return next;
  });
  return changed ? { ...state, jobs } : state;
}

function withStatus(job: JobState, byRid: Map<string, boolean[]>): JobState {
  let changed = false;
  const results = job.results.map((result) => {
    const shown = result.placement ? byRid.get(result.placement.rid)?.[result.placement.slot] : undefined;
    if (shown === undefined || shown === result.placed) return result;
    changed = true;
    return { ...result, placed: shown };
  });
  if (!changed) return job;
  // Only settled cards change state; one busy placing finishes on its own.
  const all = results.every((r) => r.placed);
  const status = job.status === 'placed' && !all ? 'done' : job.status === 'done' && all ? 'placed' : job.status;
  return { ...job, results, status };
}
