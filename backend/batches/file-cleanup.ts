// The files a batch leaves at OpenAI: what Framefill uploaded for it (the JSONL input, edits'
// reference images and masks) and what OpenAI wrote (output and error files, read once when the
// batch ends; its results then live in the shared store, so nothing reads them again). Deleted
// once the batch is final and its results are stored, so users' images do not sit upstream for
// 30 days. A delete that fails is logged and tried again on the next advance (never in the way of
// storing results); an id OpenAI no longer knows counts as deleted.
import type { BatchDeps } from './batch-deps';
import { upstreamError } from '../upstream/to-http-error';

/** Advances that try again before a file is left to OpenAI's own expiry (30 days for batch files). */
export const MAX_CLEANUP_TRIES = 10;

const isNotFound = (err: unknown) => typeof err === 'object' && err !== null && 'status' in err && err.status === 404;

/** Deletes the files; the ids still there (their failures logged, without the key). */
export async function deleteFiles(deps: BatchDeps, ids: readonly string[], what: string): Promise<string[]> {
  const left: string[] = [];
  for (const id of ids) {
    try {
      await deps.upstream.files.delete(id);
    } catch (err) {
      if (isNotFound(err)) continue;
      left.push(id);
      deps.logServerError('batch', upstreamError(err, { cause: null, timeoutMs: deps.config.upstreamTimeoutMs, secrets: deps.secrets }), `${what}: file ${id} not deleted upstream; tried again later`);
    }
  }
  return left;
}
