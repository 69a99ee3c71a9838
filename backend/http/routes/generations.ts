// POST /v1/images/generations — OpenAI's generate endpoint, validated, limited, priced and relayed.
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { IDEMPOTENCY_HEADER } from '../../contract';
import { parseIdempotencyKey } from '../../results/idempotency';
import type OpenAI from 'openai';
import { validateGeneration, type GenerationParams } from '../../validation/generation';
import { retrying } from '../../upstream/retrying-call';
import { readJsonBody } from './body';
import { runImageJob } from './image-job';
import { modelPolicy, withEndUser } from './upstream-params';

/**
 * The validated parameters as the SDK's type: openai-node 6.49 predates the 2.5 family's xhigh
 * and max, which it sends as given (JSON) all the same.
 */
const forSdk = (params: GenerationParams) => params as unknown as OpenAI.ImageGenerateParamsNonStreaming;

export function generationsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
    const body = await readJsonBody(c.req.raw);
    const validated = validateGeneration(body, modelPolicy(deps));
    const state = c.get('state');
    const params = await withEndUser(deps, state, validated.params);
    const retry = { retries: deps.config.upstreamRetries, secrets: deps.secrets };
    return runImageJob(deps, state, key, {
      route: 'generations',
      request: { ...validated, params },
      inputs: [],
      identity: async () => null,
      json: retrying((signal) => deps.upstream.images.generate(forSdk(params), { signal }).asResponse(), retry),
      stream: retrying((signal) => deps.upstream.images.generate({ ...forSdk(params), stream: true }, { signal }).asResponse(), retry),
    });
  };
}
