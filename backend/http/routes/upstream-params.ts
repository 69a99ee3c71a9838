// What both image routes add to validated parameters before they go upstream: the deployment's
// model policy for validation, and the end user OpenAI is told about.
import type { RequestState, RouteDeps } from '../context';
import type { ImageParams } from '../../validation/generation';
import type { ModelPolicy } from '../../validation/fields';

export function modelPolicy(deps: RouteDeps): ModelPolicy {
  const { config } = deps;
  return { defaultModel: config.model, allowedModels: config.allowedModels, ...(config.moderation ? { moderation: config.moderation } : {}) };
}

/** `user` set to the token's end-user id (the client's own value folded in, never passed on). */
export async function withEndUser<P extends ImageParams>(deps: RouteDeps, state: RequestState, params: P): Promise<P> {
  return { ...params, user: await deps.endUserId(state.token ?? 'unknown', params.user) };
}
