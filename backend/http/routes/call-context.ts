// Builds the image call's context from the app's dependencies and the request's state.
import type { RequestState, RouteDeps } from '../context';
import type { CallOutcome, ImageCallContext } from '../../upstream/image-call';
import type { ImageParams, ValidRequest } from '../../validation/generation';
import type { PriceBook } from '../../pricing';

export interface CallOptions {
  finish: (outcome: CallOutcome) => Promise<void>;
  /** the request has an Idempotency-Key: survive a client disconnect, collect the result */
  idempotent: boolean;
  /** aborted by DELETE /v1/results/{id} */
  cancelSignal?: AbortSignal;
  /** the request's reservation (pricing.maxCostMicros): the most it can be charged */
  maxMicros: number;
  /** images sent with an edit (references and mask); 0 for a generation */
  references: number;
  /** the model's prices: what the charge is reckoned at */
  book: PriceBook;
}

export function imageCallContext(deps: RouteDeps, state: RequestState, request: ValidRequest<ImageParams>, options: CallOptions): ImageCallContext {
  return {
    model: request.params.model,
    n: request.n,
    charge: {
      n: request.n,
      quality: request.params.quality,
      size: request.params.size,
      promptChars: request.params.prompt.length,
      references: options.references,
      maxMicros: options.maxMicros,
      book: options.book,
    },
    requestId: state.requestId,
    clientSignal: state.clientSignal,
    ...(options.cancelSignal ? { cancelSignal: options.cancelSignal } : {}),
    timeoutMs: deps.config.upstreamTimeoutMs,
    secrets: deps.secrets,
    finish: options.finish,
    detached: options.idempotent,
    collect: options.idempotent,
    maxResultBytes: deps.config.maxResultBytes,
    log: state.log,
    keepaliveMs: deps.keepaliveMs,
    logServerError: (err, what) => deps.logServerError(state.requestId, err, what),
  };
}
