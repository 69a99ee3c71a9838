// POST /v1/images/generations — OpenAI's generate endpoint, validated, priced and relayed.
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { runJsonCall, runStreamCall } from '../image-call';
import { validateGeneration } from '../validation/generation';
import { imageCallContext } from './call-context';
import { readJsonBody } from './body';

export function generationsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const state = c.get('state');
    const body = await readJsonBody(c.req.raw);
    const request = validateGeneration(body, { defaultModel: deps.config.model, allowedModels: deps.config.allowedModels });
    const ctx = imageCallContext(deps, state, request);
    const { params } = request;
    if (!request.stream) {
      return runJsonCall(ctx, (signal) => deps.upstream.images.generate(params, { signal }).withResponse());
    }
    const call = await runStreamCall(ctx, (signal) => deps.upstream.images.generate({ ...params, stream: true }, { signal }).withResponse());
    state.done = call.done;
    return call.response;
  };
}
