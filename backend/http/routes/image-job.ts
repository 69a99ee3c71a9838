// One generation or edit, from a validated request to its response: idempotency (replay, wait
// for a running twin, or claim the run), reservation against the token's limits (reserving the
// request's maximum cost), the upstream call, then settlement with the actual cost and the
// result stored for repeats and /v1/results. A claimed run is registered for DELETE
// /v1/results/{id} (run-cancels.ts) until it is over; a cancelled run stores nothing.
// The whole call is handed to `state.waitUntil` (Workers): a keyed call goes on after its client
// leaves, and every call must settle its budget reservation even if nobody waits for it.
// Prices are the model's (accounting/model-prices.ts); a successful call's output tokens teach
// the learned estimates (accounting/learned-output.ts), which also raise the reservation of the
// unpublished tiers when runs show they cost more than the ceiling.
import { leaseMs, reserveWithinLimits, type Reservation } from '../../accounting/reservation';
import type { RequestState, RouteDeps } from '../context';
import { fromStoreFailure } from '../../errors';
import { fingerprint, type RunningClaim } from '../../results/idempotency';
import { runJsonCall, runStreamCall, type CallOutcome, type UpstreamCall } from '../../upstream/image-call';
import { limitsFor } from '../../config/limits';
import { isPublishedTier, maxCostMicros, type PixelSize, type PriceBook, type Tier } from '../../pricing';
import { readLearned, recordOutput, reservationBook, sampleOf } from '../../accounting/learned-output';
import type { ModelPricing } from '../../accounting/model-prices';
import { catalogEntry } from '../../validation/fields';
import { isObject } from '../../upstream/values';
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

  const pricing = deps.pricesFor(params.model) ?? unknownModel(params.model);
  const maxMicros = maxCostMicros({
    book: await reservingBook(deps, state, pricing, params.quality),
    autoTier: pricing.autoTier,
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
    await learnFrom(deps, state, request, outcome);
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

  const ctx = imageCallContext(deps, state, request, { finish, idempotent: key !== null, maxMicros, book: pricing.book, references: job.inputs.length, ...(cancel ? { cancelSignal: cancel.signal } : {}) });
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

/** Validation lets only catalog models through; this is the same 400 should one slip past. */
function unknownModel(id: string): never {
  catalogEntry(id);
  throw new Error(`no prices for model ${id}`);
}

/**
 * The book the reservation holds: the model's, with xhigh/max raised to what runs have taught
 * when that is dearer than the ceiling. Only read when the tier reserved is unpublished; a store
 * that cannot say keeps the ceiling (logged), the request goes on.
 */
async function reservingBook(deps: RouteDeps, state: RequestState, pricing: ModelPricing, quality: Tier | 'auto' | undefined): Promise<PriceBook> {
  const tier = quality === undefined || quality === 'auto' ? pricing.autoTier : quality;
  if (isPublishedTier(tier)) return pricing.book;
  try {
    return reservationBook(pricing.book, await readLearned(deps.store, pricing.model));
  } catch (err) {
    deps.logServerError(state.requestId, err, 'learned estimates not read, reserving at the ceiling');
    return pricing.book;
  }
}

/** Teaches the learned estimates from a call that delivered every image; never fails the request. */
async function learnFrom(deps: RouteDeps, state: RequestState, request: ValidRequest<ImageParams>, outcome: CallOutcome): Promise<void> {
  if (!outcome.succeeded || !outcome.totals) return;
  const body = outcome.body;
  const usage = body && isObject(body.usage) ? body.usage : undefined;
  // A JSON answer's usage is upstream's own; a stream's is known only as charged (partials included, taken off).
  const rawOutput = !request.stream && usage ? usage.output_tokens : undefined;
  const sample = sampleOf({
    model: request.params.model,
    askedQuality: request.params.quality,
    askedSize: request.params.size,
    reportedQuality: body?.quality,
    reportedSize: body?.size,
    images: outcome.totals.images,
    partialImages: request.stream ? (outcome.totals.partial_images ?? 0) : 0,
    outputTokens: request.stream ? outcome.totals.output_tokens : typeof rawOutput === 'number' ? rawOutput : undefined,
  });
  if (sample) await recordOutput(deps.store, sample, (err) => deps.logServerError(state.requestId, err, 'learned estimate not recorded'));
}
