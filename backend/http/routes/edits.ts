// POST /v1/images/edits — OpenAI's edit endpoint (multipart, up to 16 references and a mask):
// images are checked by content and sent upstream as the bytes the client sent (under clean
// names and their real types), limited, priced and relayed.
import type { Context } from 'hono';
import type { AppEnv, RouteDeps } from '../context';
import { IDEMPOTENCY_HEADER } from '../../contract';
import { parseIdempotencyKey, sha256Hex } from '../../results/idempotency';
import { editCall, type UploadFile } from '../../upstream/edit-upload';
import { retrying } from '../../upstream/retrying-call';
import { validateEdit, type ValidEdit } from '../../validation/edit';
import { readMultipartBody } from './body';
import { runImageJob } from './image-job';
import { modelPolicy, withEndUser } from './upstream-params';

/** What identifies an edit beyond its fields, for the idempotency fingerprint: its images' hashes. */
async function imagesIdentity(request: ValidEdit): Promise<unknown> {
  return {
    images: await Promise.all(request.images.map((i) => sha256Hex(i.bytes))),
    mask: request.mask ? await sha256Hex(request.mask.bytes) : null,
  };
}

/** The files for OpenAI: one image goes up as `image`, several as `image[]` (as the SDK sends an array). */
function uploadFiles(request: ValidEdit): UploadFile[] {
  const field = request.images.length === 1 ? 'image' : 'image[]';
  const files: UploadFile[] = request.images.map(({ bytes, filename, type }) => ({ field, bytes, filename, type }));
  if (request.mask) files.push({ field: 'mask', bytes: request.mask.bytes, filename: request.mask.filename, type: request.mask.type });
  return files;
}

export function editsHandler(deps: RouteDeps) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const key = parseIdempotencyKey(c.req.header(IDEMPOTENCY_HEADER));
    const form = await readMultipartBody(c.req.raw);
    const request = validateEdit(form, modelPolicy(deps), { maxImageBytes: deps.config.maxImageBytes });
    // Hashed now, while validation has the bytes at hand (views of the request body, not copies).
    const identity = key === null ? null : await imagesIdentity(request);
    const state = c.get('state');
    const params = await withEndUser(deps, state, request.params);
    const call = retrying(editCall(deps.upstream, params, uploadFiles(request), request.stream), { retries: deps.config.upstreamRetries, secrets: deps.secrets });
    const { stream, n } = request;
    return runImageJob(deps, state, key, {
      route: 'edits',
      request: { params, stream, n },
      inputs: [...request.images, ...(request.mask ? [request.mask] : [])].map(({ width, height }) => ({ width, height })),
      identity: () => Promise.resolve(identity),
      // One call either way: the body it sends already says whether to stream.
      json: call,
      stream: call,
    });
  };
}
