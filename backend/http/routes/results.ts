// /v1/results/{id} — the result of an idempotent request, to the token that made it only.
// Another token's id reads as unknown (404, not 403), so ids reveal nothing.
//   GET    the stored result (200), 202 while it runs, 500 request_lost when the instance running
//          it stopped (its deadline passed without a result), 404 when unknown or expired;
//   DELETE cancels it while it runs (its upstream call aborted, wherever it runs: run-cancels.ts)
//          or forgets its stored result.
import { Hono, type Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import type { ResultCancel, ResultPending } from '../../contract';
import { fromStoreFailure, invalidResultId, jsonResponse, requestLost, unknownResult } from '../../errors';
import { isValidResultId } from '../../results/idempotency';
import { replayJson } from '../../results/replay';
import { readResult, removeResult } from '../../results/retained-results';
import { batchItemPending } from '../../batches/batch-record';

const fromStoreFailureThrown = (err: unknown): never => {
  throw fromStoreFailure(err);
};

/** How often a panel should look again while a result is still running. */
const POLL_AFTER_SECONDS = 2;
/** How long DELETE waits for a cancelled run to wind down before answering anyway. */
const STOP_WAIT_MS = 2_500;

function resultId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? '';
  if (!isValidResultId(id)) throw invalidResultId();
  return id;
}

/** GET and DELETE /v1/results/{id}. */
export function resultRoutes(deps: RouteDeps): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/:id', resultsHandler(deps)).delete('/:id', resultDeleteHandler(deps));
}

function resultsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const id = resultId(c);
    const [stored, run] = await Promise.all([readResult(deps.store, token, id), deps.idempotency.runStatus(token, id)]).catch((err: unknown) => {
      throw fromStoreFailure(err);
    });
    if (stored) return replayJson(stored, 404);
    if (run === 'lost') throw requestLost(id);
    // An overnight batch's item (issue 16) is in progress until its batch finishes.
    if (run === 'running' || (await batchItemPending(deps.store, token, id).catch(fromStoreFailureThrown))) {
      return jsonResponse({ object: 'framefill.result', status: 'in_progress', id } satisfies ResultPending, 202, { 'retry-after': String(POLL_AFTER_SECONDS) });
    }
    throw unknownResult(id);
  };
}

function resultDeleteHandler(deps: RouteDeps) {
  const answer = (id: string, status: ResultCancel['status']) => jsonResponse({ object: 'framefill.result', id, status } satisfies ResultCancel);
  return async (c: Context<AppEnv>): Promise<Response> => {
    const token = c.get('state').token ?? 'unknown';
    const id = resultId(c);
    try {
      if (await deps.cancels.cancelHere(token, id, STOP_WAIT_MS)) {
        // It may have stored its result just before the cancel landed: the user wants none.
        await removeResult(deps.store, token, id);
        return answer(id, 'cancelled');
      }
      if (await readResult(deps.store, token, id)) {
        await removeResult(deps.store, token, id);
        return answer(id, 'deleted');
      }
      const run = await deps.idempotency.runningNonce(token, id);
      if (run !== null) {
        await deps.cancels.flag(token, id, run);
        await waitForStop(deps, token, id, run);
        await removeResult(deps.store, token, id);
        return answer(id, 'cancelled');
      }
    } catch (err) {
      throw fromStoreFailure(err);
    }
    throw unknownResult(id);
  };
}

/** Waits (bounded) until the run with nonce `run` has let go of its claim on another instance. */
async function waitForStop(deps: RouteDeps, token: string, id: string, run: string): Promise<void> {
  const deadline = Date.now() + STOP_WAIT_MS;
  for (let delay = 100; Date.now() < deadline; delay = Math.min(delay * 2, 800)) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))));
    if ((await deps.idempotency.runningNonce(token, id)) !== run) return;
  }
}
