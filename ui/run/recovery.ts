// Runs that outlived the panel: the sandbox keeps them as pending; on the next open each is
// looked up by its request id. Finished → offered for placing; still running → polled (bounded);
// unknown or expired → dropped from pending with a quiet notice.
import type { PendingRun } from '../../plugin/messages';
import { oneLine } from '../../common/text';
import { settle } from '../lib/cost-estimate';
import { describeError } from '../lib/error-messages';
import { isAbortError } from '../lib/concurrency';
import { BackendError } from '../lib/backend-error';
import { ERROR_CODES } from '../../backend/contract';
import { sleep as defaultSleep } from '../lib/retry';
import { plural } from '../lib/format';
import type { RunContext } from './context';
import { newJob, specFromPending } from './job';
import { toResults } from './execute';

export const POLL_INTERVAL_MS = 4000;
/** About five minutes of polling; after that the run stays pending for the next open. */
export const MAX_POLLS = 75;

export async function recoverPending(ctx: RunContext, runs: PendingRun[], signal: AbortSignal): Promise<void> {
  const known = new Set(ctx.store.get().jobs.map((j) => j.requestId));
  const todo = runs.filter((r) => !known.has(r.requestId));
  if (todo.length === 0) return;
  const outcomes = await Promise.all(todo.map((run) => recoverOne(ctx, run, signal).catch(() => 'error' as const)));
  const recovered = outcomes.filter((o) => o === 'done').length;
  const gone = outcomes.filter((o) => o === 'gone').length;
  const notKept = outcomes.filter((o) => o === 'not-kept').length;
  const images = ctx.store.get().jobs.filter((j) => j.recovered && j.status === 'done').reduce((n, j) => n + j.results.length, 0);
  if (recovered) ctx.notice(`Recovered ${plural(images, 'result')} from ${recovered === 1 ? 'a run that was' : 'runs that were'} still going when the panel closed.`);
  if (gone) ctx.notice(`${plural(gone, 'earlier run')} had expired on the backend and ${gone === 1 ? 'was' : 'were'} dropped.`);
  if (notKept) ctx.notice(`${plural(notKept, 'earlier run')} finished and ${notKept === 1 ? 'was' : 'were'} charged, but the backend ran out of room to keep ${notKept === 1 ? 'its images' : 'their images'}.`);
}

async function recoverOne(ctx: RunContext, run: PendingRun, signal: AbortSignal): Promise<'done' | 'gone' | 'not-kept' | 'running' | 'error'> {
  const { deps } = ctx;
  const job = { ...newJob(deps.newId(), run.requestId, specFromPending(run)), status: 'running' as const, startedAt: run.startedAt, recovered: true, autoPlace: false };
  const pause = deps.sleep ?? defaultSleep;
  let shown = false;
  const show = () => {
    if (shown) return;
    shown = true;
    ctx.store.update((state) => ({ ...state, jobs: [...state.jobs, job] }));
  };
  try {
    for (let poll = 0; poll < MAX_POLLS; poll++) {
      const answer = await deps.client().result(run.requestId, signal);
      if (answer.status === 'gone') {
        if (shown) ctx.store.update((state) => ({ ...state, jobs: state.jobs.filter((j) => j.id !== job.id) }));
        ctx.pending.remove(run.requestId);
        return answer.notKept ? 'not-kept' : 'gone';
      }
      if (answer.status === 'done') {
        show();
        ctx.patch(job.id, (j) => ({ status: 'done', results: toResults(answer.result.images), cost: settle(j.cost, answer.result.costUsd), model: answer.result.model, finishedAt: deps.now() }));
        return 'done';
      }
      show(); // still running: let the user watch it
      await pause(POLL_INTERVAL_MS, signal);
    }
    ctx.patch(job.id, { status: 'failed', error: { message: 'Still running on the backend — reopen Framefill later to collect it.', settings: false, retryable: false, editPrompt: false, sameRequest: true } });
    return 'running';
  } catch (error) {
    if (isAbortError(error)) return 'error';
    // The backend says the run is over without a result (its instance stopped; not charged):
    // asking again on every reopen would only repeat that.
    if (error instanceof BackendError && error.code === ERROR_CODES.requestLost) ctx.pending.remove(run.requestId);
    if (shown) ctx.patch(job.id, { status: 'failed', error: { ...describeError(error), sameRequest: true } });
    else ctx.notice(`Couldn't check a run from earlier (“${oneLine(run.prompt, 40)}”): ${describeError(error).message}`, 'error');
    return 'error';
  }
}
