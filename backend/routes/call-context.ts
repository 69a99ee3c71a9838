// Builds the image call's context from the app's dependencies and the request's state.
import type { RequestState, RouteDeps } from '../context';
import type { ImageCallContext } from '../image-call';
import { utcMonth } from '../usage-store';
import type { ImageParams, ValidRequest } from '../validation/generation';

export function imageCallContext(deps: RouteDeps, state: RequestState, request: ValidRequest<ImageParams>): ImageCallContext {
  const token = state.token ?? 'unknown';
  state.log.model = request.params.model;
  state.log.stream = request.stream;
  if (deps.config.logPrompts) state.log.prompt = request.params.prompt;
  return {
    model: request.params.model,
    n: request.n,
    requestId: state.requestId,
    clientSignal: state.clientSignal,
    timeoutMs: deps.config.upstreamTimeoutMs,
    secrets: deps.secrets,
    // The month is taken when the call is recorded, so a call spanning midnight UTC counts once.
    recordUsage: (totals) => deps.usageStore.record(token, utcMonth(deps.clock()), totals),
    log: state.log,
    keepaliveMs: deps.keepaliveMs,
  };
}
