// Runs a plan: one job per target, at most N in flight, each registered as pending before its
// request and removed from pending (pending-runs.ts) once it is no longer at risk. Cancel, retry,
// place and recovery all go through here; the panel model mirrors the store and calls these.
//
// Cancel aborts the panel's requests AND tells the backend (DELETE /v1/results/{id}): the backend
// keeps keyed calls running when their client leaves (so a closed panel can recover them), so
// only an explicit cancel stops the paid upstream call. Closing the panel (dispose) does not.
import { roundUsd, type Tier } from '../../backend/pricing';
import type { PendingRun } from '../../plugin/messages';
import { estimated } from '../lib/cost-estimate';
import { describeError } from '../lib/error-messages';
import { isAbortError } from '../lib/concurrency';
import type { Plan } from '../lib/plan';
import { createStore, type Store } from '../lib/store';
import { createContext, type RunDeps, type RunState } from './context';
import { executeJob } from './execute';
import { ACTIVE, newJob, pendingOf, specFromPlan, type JobSpec, type JobState } from './job';
import { discardJob, placeResults } from './placement';
import { recoverPending } from './recovery';
import { applyPlacementStatus, type PlacementStatus } from './canvas-status';
import { sleep as defaultSleep } from '../lib/retry';
import { restOfRun, withLook, type LookImage } from './look';

/** Jobs that may have a request on the backend: those get a DELETE on Cancel. */
const SENT: ReadonlySet<JobState['status']> = new Set(['running', 'waiting']);
/**
 * A cancel can overtake its own request (the POST still on its way in): when the backend knows
 * no such run yet, ask once more after this long.
 */
export const CANCEL_RECHECK_MS = 1000;
/** (issue 14, look) what a job held for the run's first image says when that never came */
const LOOK_MISSING = 'Not sent: the first image, which sets the look, did not arrive. Retry it, or pick another result as the look.';
/** jobs "Re-run the rest" leaves alone: still going, or being placed */
const RERUN_BUSY: ReadonlySet<JobState['status']> = new Set([...ACTIVE, 'placing']);

export interface RunController {
  store: Store<RunState>;
  /** `look`: Lock the look (issue 14): the first job goes alone, the rest carry its image */
  start(plan: Plan, prompt: string, tier: Tier, look?: { extraUsd: number }): void;
  /** (issue 14, finalize) one run of jobs built elsewhere: Finalize, bulk re-run */
  startSpecs(specs: JobSpec[]): void;
  /** (issue 14, look) sends every other job of that run again with this result as the look */
  rerunWithLook(jobId: string, index: number, extraUsd: number): void;
  /** stops every job of the current run that hasn't finished */
  cancel(): void;
  retry(jobId: string): void;
  place(jobId: string, which: number | 'all'): Promise<void>;
  discard(jobId: string): void;
  /** removes a finished card (placed, failed, cancelled) from view */
  dismiss(jobId: string): void;
  dismissNotice(id: string): void;
  recover(pending: PendingRun[]): Promise<void>;
  /** the sandbox says which placed images still show (after Undo, Redo, edits) */
  canvasChanged(status: PlacementStatus): void;
  dispose(): void;
}

/** Progress of the latest run, for the footer while it goes. */
export function runProgress(state: RunState): { total: number; finished: number; startedAt: number | null } | null {
  const latest = state.jobs.find((j) => !j.recovered);
  if (!latest) return null;
  const jobs = state.jobs.filter((j) => j.runId === latest.runId);
  const started = jobs.map((j) => j.startedAt).filter((t): t is number => t !== null);
  return { total: jobs.length, finished: jobs.filter((j) => !ACTIVE.has(j.status)).length, startedAt: started.length ? Math.min(...started) : null };
}

/** A run is going while any job it started is still working (recovery polls don't count). */
export function isRunning(state: RunState): boolean {
  return state.jobs.some((j) => ACTIVE.has(j.status) && !j.recovered);
}

/** A finished job sent again (Retry, a new look): queued afresh under `requestId`, as if new. */
function requeued(spec: JobSpec, requestId: string): Partial<JobState> {
  return {
    spec,
    requestId,
    status: 'queued',
    results: [],
    error: null,
    placeError: null,
    partial: null,
    wait: null,
    startedAt: null,
    finishedAt: null,
    cost: estimated(spec.estimateUsd),
    notices: [],
    autoPlace: spec.n === 1,
    recovered: false,
  };
}

export function createRunController(deps: RunDeps): RunController {
  const store = createStore<RunState>({ jobs: [], notices: [] });
  const ctx = createContext(store, deps);
  const controllers = new Map<string, AbortController>();
  const recovery = new AbortController();
  let disposed = false;
  const warn = deps.warn ?? ((message: string) => console.warn(`[framefill] ${message}`));
  // (issue 14, look) Lock the look: a lead job's id → the jobs waiting for its image
  const lookWaits = new Map<string, { followers: string[]; extraUsd: number }>();
  /**
   * A locked run's look, by run id: the job whose image sets it and, once that arrived (or a result
   * was picked as the look), the image. A retried frame of the run goes with it (see `retry`).
   */
  const runLooks = new Map<string, { leadId: string; extraUsd: number; look: LookImage | null; from: string | null }>();
  /**
   * The frame that will show result `index` of a job, once placed: a fill of its own target (a
   * restyle's result is a new layer above it instead). A pending run keeps it, so a frame of the
   * run recovered after the panel closed can send the look again on Retry.
   */
  const lookFrame = (job: JobState | undefined, index: number): string | null => {
    if (!job?.spec.targetId || (job.spec.sendsTarget && !job.spec.inPlace)) return null;
    return (job.autoPlace && job.spec.n === 1) || job.results[index]?.placed ? job.spec.targetId : null;
  };
  const releaseLook = (leadId: string, results: JobState['results']) => {
    const lead = ctx.job(leadId);
    const from = lookFrame(lead, 0);
    const locked = runLooks.get(lead?.runId ?? '');
    if (locked?.leadId === leadId && results[0]) Object.assign(locked, { look: results[0], from });
    const wait = lookWaits.get(leadId);
    if (!wait) return;
    lookWaits.delete(leadId);
    const look = results[0];
    for (const id of wait.followers) {
      const job = ctx.job(id);
      if (job?.status !== 'queued') continue;
      if (!look) {
        ctx.patch(id, { status: 'cancelled', finishedAt: deps.now(), notices: [LOOK_MISSING], waitsForLook: false });
        continue;
      }
      const spec = withLook(job.spec, look, wait.extraUsd, from);
      ctx.patch(id, { spec, cost: estimated(spec.estimateUsd), waitsForLook: false });
      launch(id);
    }
  };

  /** Fire-and-forget: the panel is idle at once whatever the backend says; failures are logged. */
  const cancelOnBackend = async (requestId: string) => {
    try {
      const client = deps.client();
      if ((await client.cancel(requestId)) === 'gone') {
        await (deps.sleep ?? defaultSleep)(CANCEL_RECHECK_MS);
        await client.cancel(requestId);
      }
    } catch (error) {
      warn(`couldn't cancel request ${requestId} on the backend: ${describeError(error).message}`);
    }
  };

  const launch = (jobId: string) => {
    const controller = new AbortController();
    controllers.set(jobId, controller);
    const { signal } = controller;
    deps.limiter
      .run(async () => {
        const job = ctx.job(jobId);
        if (!job) throw new DOMException('gone', 'AbortError');
        const startedAt = deps.now();
        ctx.patch(jobId, { startedAt });
        ctx.pending.add(pendingOf({ ...job, startedAt }, startedAt));
        return executeJob(ctx, { ...job, startedAt }, signal);
      }, signal)
      .then(
        (results) => {
          ctx.patch(jobId, { status: 'done', results, finishedAt: deps.now(), wait: null });
          releaseLook(jobId, results);
          const job = ctx.job(jobId);
          if (job?.autoPlace && results.length === 1) return placeResults(ctx, jobId, 0);
        },
        (error: unknown) => {
          const job = ctx.job(jobId);
          releaseLook(jobId, []);
          // A closing panel leaves its runs pending: they go on on the backend and are recovered.
          if (!job || disposed) return;
          if (isAbortError(error) || signal.aborted) {
            ctx.pending.remove(job.requestId);
            ctx.patch(jobId, { status: 'cancelled', finishedAt: deps.now(), wait: null });
            return;
          }
          const userError = describeError(error);
          // Keep the pending entry when the backend may still deliver under the same id.
          if (!userError.sameRequest) ctx.pending.remove(job.requestId);
          ctx.patch(jobId, { status: 'failed', error: userError, finishedAt: deps.now(), wait: null });
        },
      )
      .finally(() => {
        if (controllers.get(jobId) === controller) controllers.delete(jobId);
      });
  };

  const retry = (jobId: string) => {
    const job = ctx.job(jobId);
    if (!job || !(job.status === 'failed' || job.status === 'cancelled') || controllers.has(jobId)) return;
    // (issue 14, look) a frame of a locked run keeps the look: the run's image once it is in
    const locked = runLooks.get(job.runId);
    const follows = locked && locked.leadId !== jobId ? locked : null;
    const spec = follows?.look ? withLook(job.spec, follows.look, follows.extraUsd, follows.from) : job.spec;
    // Same id after a dropped connection or network error: the backend returns (or finishes)
    // the image it was making instead of billing a second one. A new look is a new request.
    const reuse = spec === job.spec && job.error?.sameRequest === true && ctx.pending.has(job.requestId);
    ctx.patch(jobId, requeued(spec, reuse ? job.requestId : deps.newId()));
    const lead = follows && !follows.look ? ctx.job(follows.leadId) : undefined;
    if (follows && lead) {
      // ...and while it is missing, waits for it as the first run did, retrying it if it failed.
      const wait = lookWaits.get(lead.id) ?? { followers: [], extraUsd: follows.extraUsd };
      lookWaits.set(lead.id, { ...wait, followers: [...wait.followers.filter((id) => id !== jobId), jobId] });
      ctx.patch(jobId, { waitsForLook: true, cost: estimated(spec.look ? spec.estimateUsd : roundUsd(spec.estimateUsd + follows.extraUsd)) });
      if (!ACTIVE.has(lead.status)) retry(lead.id);
      return;
    }
    launch(jobId);
  };

  /** One run's jobs, first in the list. Unplaced results of earlier runs stay (nothing the user made is lost); finished cards go. */
  const enqueueRun = (specs: JobSpec[]): JobState[] => {
    const runId = deps.newId();
    const fresh = specs.map((spec) => newJob(deps.newId(), deps.newId(), spec, runId));
    const kept = store.get().jobs.filter((j) => j.status === 'done' || j.status === 'placing' || ACTIVE.has(j.status));
    store.update((state) => ({ ...state, jobs: [...fresh, ...kept] }));
    // a look is kept while a card of its run shows (its image is large)
    for (const runId of runLooks.keys()) if (!kept.some((j) => j.runId === runId)) runLooks.delete(runId);
    return fresh;
  };

  return {
    store,
    start(plan, prompt, tier, look) {
      if (isRunning(store.get())) return;
      // (issue 14, fields) each job runs with its own resolved prompt; `prompt` is for plans without one
      const fresh = enqueueRun(plan.jobs.map((job) => specFromPlan(job, job.prompt || prompt, tier)));
      const [lead, ...rest] = fresh;
      if (look && lead && rest.length > 0) {
        lookWaits.set(lead.id, { followers: rest.map((j) => j.id), extraUsd: look.extraUsd });
        runLooks.set(lead.runId, { leadId: lead.id, extraUsd: look.extraUsd, look: null, from: null });
        // Their cards show the look's extra input from the start, as the plan line did.
        for (const job of rest) ctx.patch(job.id, { waitsForLook: true, cost: estimated(roundUsd(job.spec.estimateUsd + look.extraUsd)) });
        launch(lead.id);
        return;
      }
      for (const job of fresh) launch(job.id);
    },
    // (issue 14, finalize) as start, from ready specs; the same jobs, pending entries and placement
    startSpecs(specs) {
      if (isRunning(store.get()) || specs.length === 0) return;
      for (const job of enqueueRun(specs)) launch(job.id);
    },
    rerunWithLook(jobId, index, extraUsd) {
      const picked = ctx.job(jobId);
      const look = picked?.results[index];
      if (!picked || !look) return;
      const from = lookFrame(picked, index);
      // from now on the picked result is the run's look, for its retries too
      runLooks.set(picked.runId, { leadId: jobId, extraUsd, look, from });
      for (const job of restOfRun(store.get().jobs, jobId, RERUN_BUSY)) {
        const spec = withLook(job.spec, look, extraUsd, from);
        // A fresh request; placing it replaces the frame's Framefill image in place (issue 13).
        ctx.patch(job.id, requeued(spec, deps.newId()));
        launch(job.id);
      }
    },
    cancel() {
      for (const [jobId, controller] of controllers) {
        const job = ctx.job(jobId);
        controller.abort(new DOMException('The run was cancelled', 'AbortError'));
        if (job && SENT.has(job.status) && ctx.pending.has(job.requestId)) void cancelOnBackend(job.requestId);
      }
    },
    retry,
    place: (jobId, which) => placeResults(ctx, jobId, which),
    discard: (jobId) => discardJob(ctx, jobId),
    dismiss(jobId) {
      const job = ctx.job(jobId);
      if (!job || ACTIVE.has(job.status) || job.status === 'done' || job.status === 'placing') return;
      // A failed run kept pending for a same-id retry is given up once the user dismisses it.
      ctx.pending.remove(job.requestId);
      store.update((state) => ({ ...state, jobs: state.jobs.filter((j) => j.id !== jobId) }));
    },
    dismissNotice(id) {
      store.update((state) => ({ ...state, notices: state.notices.filter((n) => n.id !== id) }));
    },
    async recover(pending) {
      ctx.pending.adopt(pending.map((run) => run.requestId));
      await recoverPending(ctx, pending, recovery.signal);
    },
    canvasChanged(status) {
      store.update((state) => applyPlacementStatus(state, status));
    },
    dispose() {
      disposed = true;
      recovery.abort();
      for (const controller of controllers.values()) controller.abort();
    },
  };
}
