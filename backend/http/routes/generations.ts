// POST /v1/images/generations — OpenAI's generate endpoint, validated, limited, priced and relayed.
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { IDEMPOTENCY_HEADER } from '../../contract';
import { parseIdempotencyKey } from '../../results/idempotency';
import { validateGeneration } from '../../validation/generation';
import { retrying } from '../../upstream/retrying-call';
import { readJsonBody } from './body';
import { runImageJob } from './image-job';

export function generationsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
    const body = await readJsonBody(c.req.raw);
    const request = validateGeneration(body, { defaultModel: deps.config.model, allowedModels: deps.config.allowedModels });
    const { params } = request;
    const retry = { retries: deps.config.upstreamRetries, secrets: deps.secrets };
    return runImageJob(deps, c.get('state'), key, {
      route: 'generations',
      request,
      inputs: [],
      identity: async () => null,
      json: retrying((signal) => deps.upstream.images.generate(params, { signal }).asResponse(), retry),
      stream: retrying((signal) => deps.upstream.images.generate({ ...params, stream: true }, { signal }).asResponse(), retry),
    });
  };
}
