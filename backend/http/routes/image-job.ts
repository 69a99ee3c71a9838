// One generation or edit, from a validated request to its response: idempotency (replay, wait
// for a running twin, or claim the run), reservation against the token's limits (reserving the
// request's maximum cost), the upstream call, then settlement with the actual cost and the
// result stored for repeats and /v1/results. A claimed run is registered for DELETE
// /v1/results/{id} (run-cancels.ts) until it is over; a cancelled run stores nothing.
// The whole call is handed to `state.waitUntil` (Workers): a keyed call goes on after its client
// leaves, and every call must settle its budget reservation even if nobody waits for it.
import { leaseMs, reserveWithinLimits, type Reservation } from '../../accounting/reservation';
import type { RequestState, RouteDeps } from '../context';
import { fromStoreFailure } from '../../errors';
import { fingerprint, type RunningClaim } from '../../results/idempotency';
import { runJsonCall, runStreamCall, type CallOutcome, type UpstreamCall } from '../../upstream/image-call';
import { limitsFor } from '../../config/limits';
import { maxCostMicros, type PixelSize } from '../../pricing';
import { replayJson, replayStream } from '../../results/replay';
import type { ImageRoute, StoredResult } from '../../results/retained-results';
import type { RunHandle } from '../../results/run-cancels';
import type { ImageParams, ValidRequest } from '../../validation/generation';
import { imageCallContext } from './call-context';

export interface ImageJob {
  route: ImageRoute;
  request: ValidRequest<ImageParams>;
  /** pixel sizes of the uploaded images (edits: references and mask), for the maximum cost */
  inputs: PixelSize[];
  /** what identifies the request beyond its fields (edits: the images), for the idempotency fingerprint */
  identity: () => Promise<unknown>;
  /** the SDK's call, raw (`.asResponse()`): image-call.ts reads the body */
  json: UpstreamCall;
  stream: UpstreamCall;
}

export async function runImageJob(deps: RouteDeps, state: RequestState, key: string | null, job: ImageJob): Promise<Response> {
  const { request, route } = job;
  const { params } = request;
  const name = state.token ?? 'unknown';
  // The run's claim and its reservation both expire this long after they are taken, so whatever a
  // stopped instance leaves is released or reported lost by another (reservation.ts).
  const lease = leaseMs(deps.config.upstreamTimeoutMs);
  state.log.model = params.model;
  state.log.stream = request.stream;
  if (deps.config.logPrompts) state.log.prompt = params.prompt;

  let claim: RunningClaim | null = null;
  let cancel: RunHandle | null = null;
  let print = '';
  if (key !== null) {
    // Streaming and partials change how a result is delivered, not what it is.
    const { partial_images: _partials, ...asked } = params;
    print = await fingerprint(route, { asked, inputs: await job.identity() });
    const turn = await deps.idempotency.begin(name, key, route, print, lease).catch((err: unknown) => {
      throw fromStoreFailure(err);
    });
    if (turn.kind === 'replay') {
      state.log.replayed = true;
      return request.stream ? replayStream(turn.result, route) : replayJson(turn.result);
    }
    claim = turn.claim;
    cancel = deps.cancels.register(name, key, claim.run);
  }

  const maxMicros = maxCostMicros({
    quality: params.quality,
    size: params.size,
    n: request.n,
    partialImages: request.stream ? params.partial_images : 0,
    prompt: params.prompt,
    inputs: job.inputs,
  });
  let reservation: Reservation;
  try {
    reservation = await reserveWithinLimits(deps.store, { name, limits: limitsFor(deps.config.limits, name), now: deps.clock(), images: request.n, maxMicros, leaseMs: lease });
  } catch (err) {
    await claim?.finish(null);
    cancel?.release();
    throw fromStoreFailure(err);
  }

  let finished = false;
  const finish = async (outcome: CallOutcome): Promise<void> => {
    if (finished) return;
    finished = true;
    try {
      await reservation.settle(outcome.totals, deps.clock());
    } catch (err) {
      state.log.error ??= 'usage_record_failed';
      deps.logServerError(state.requestId, err, 'usage not recorded');
    }
    if (!claim) return;
    // Only a complete success is kept; after a failure or a cancel the claim goes, so a retry
    // runs again.
    const result: StoredResult | null = outcome.succeeded && !cancel?.signal.aborted
      ? {
          v: 1,
          status: outcome.body ? 'succeeded' : 'not_retained',
          route,
          fingerprint: print,
          cost_usd: outcome.totals?.cost_usd ?? 0,
          ...(outcome.body ? { body: outcome.body } : {}),
        }
      : null;
    await claim.finish(result);
    // Released once the claim is gone, so a DELETE that waits for it can report the run stopped.
    cancel?.release();
  };

  const ctx = imageCallContext(deps, state, request, { finish, idempotent: key !== null, maxMicros, references: job.inputs.length, ...(cancel ? { cancelSignal: cancel.signal } : {}) });
  const call = (async (): Promise<Response> => {
    try {
      if (!request.stream) return await runJsonCall(ctx, job.json);
      const stream = await runStreamCall(ctx, job.stream);
      state.done = stream.done;
      return stream.response;
    } catch (err) {
      await finish({ totals: null, succeeded: false });
      throw err;
    }
  })();
  state.waitUntil?.(call.then(() => state.done).catch(() => {}));
  return call;
}
