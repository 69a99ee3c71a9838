// POST /v1/images/edits — OpenAI's edit endpoint (multipart, up to 16 references and a mask):
// images are checked by content, re-uploaded upstream with clean names, limited, priced and relayed.
import type { Context } from 'hono';
import { toFile } from 'openai';
import type { AppEnv, RouteDeps } from '../context';
import { IDEMPOTENCY_HEADER } from '../../contract';
import { parseIdempotencyKey, sha256Hex } from '../../results/idempotency';
import { validateEdit, type UploadImage } from '../../validation/edit';
import { readMultipartBody } from './body';
import { runImageJob } from './image-job';

const upload = (image: UploadImage) => toFile(image.bytes, image.filename, { type: image.type });

export function editsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
    const form = await readMultipartBody(c.req.raw);
    const request = await validateEdit(form, { defaultModel: deps.config.model, allowedModels: deps.config.allowedModels }, { maxImageBytes: deps.config.maxImageBytes });
    const files = await Promise.all(request.images.map(upload));
    const mask = request.mask ? await upload(request.mask) : undefined;
    // One image goes up as `image`, several as `image[]` (what the SDK does with an array).
    const params = { ...request.params, image: files.length === 1 ? files[0]! : files, ...(mask ? { mask } : {}) };
    const sent = [...request.images, ...(request.mask ? [request.mask] : [])];
    return runImageJob(deps, c.get('state'), key, {
      route: 'edits',
      request,
      inputs: sent.map(({ width, height }) => ({ width, height })),
      identity: async () => ({
        images: await Promise.all(request.images.map((i) => sha256Hex(i.bytes))),
        mask: request.mask ? await sha256Hex(request.mask.bytes) : null,
      }),
      json: (signal) => deps.upstream.images.edit(params, { signal }).asResponse(),
      stream: (signal) => deps.upstream.images.edit({ ...params, stream: true }, { signal }).asResponse(),
    });
  };
}
