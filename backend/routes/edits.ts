// POST /v1/images/edits — OpenAI's edit endpoint (multipart, up to 16 references and a mask):
// images are checked by content, re-uploaded upstream with clean names, priced and relayed.
import type { Context } from 'hono';
import { toFile } from 'openai';
import type { AppEnv, RouteDeps } from '../context';
import { runJsonCall, runStreamCall } from '../image-call';
import { validateEdit, type UploadImage } from '../validation/edit';
import { imageCallContext } from './call-context';
import { readMultipartBody } from './body';

const upload = (image: UploadImage) => toFile(image.bytes, image.filename, { type: image.type });

export function editsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const state = c.get('state');
    const form = await readMultipartBody(c.req.raw);
    const request = await validateEdit(form, { defaultModel: deps.config.model, allowedModels: deps.config.allowedModels }, { maxImageBytes: deps.config.maxImageBytes });
    const ctx = imageCallContext(deps, state, request);
    const files = await Promise.all(request.images.map(upload));
    const mask = request.mask ? await upload(request.mask) : undefined;
    // One image goes up as `image`, several as `image[]` (what the SDK does with an array).
    const params = { ...request.params, image: files.length === 1 ? files[0]! : files, ...(mask ? { mask } : {}) };
    if (!request.stream) {
      return runJsonCall(ctx, (signal) => deps.upstream.images.edit(params, { signal }).withResponse());
    }
    const call = await runStreamCall(ctx, (signal) => deps.upstream.images.edit({ ...params, stream: true }, { signal }).withResponse());
    state.done = call.done;
    return call.response;
  };
}
