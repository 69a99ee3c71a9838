// The runs the sandbox keeps as pending, so a panel closed mid-run can recover them. This is the
// only place that adds or removes one: a run is registered once before its request goes out and
// removed once when it is no longer at risk (placed, discarded, cancelled, failed for good,
// expired), whichever of those comes first.
import type { PendingRun, UiToSandbox } from '../../plugin/messages';

export interface PendingRuns {
  /** registers a run with the sandbox, once per request id */
  add(run: PendingRun): void;
  /** runs the sandbox already holds (handed over at init for recovery) */
  adopt(requestIds: string[]): void;
  /** whether the sandbox still holds this run (a failed run may be retried under the same id) */
  has(requestId: string): boolean;
  /** the run is no longer at risk: forget it here and in the sandbox; later calls do nothing */
  remove(requestId: string): void;
}

export function createPendingRuns(emit: (message: UiToSandbox) => void): PendingRuns {
  const held = new Set<string>();
  return {
    add(run) {
      if (held.has(run.requestId)) return;
      held.add(run.requestId);
      emit({ type: 'add-pending', run });
    },
    adopt(requestIds) {
      for (const id of requestIds) held.add(id);
    },
    has: (requestId) => held.has(requestId),
    remove(requestId) {
      if (!held.delete(requestId)) return;
      emit({ type: 'remove-pending', requestId });
    },
  };
}
