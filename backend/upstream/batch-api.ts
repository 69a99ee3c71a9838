// OpenAI's Files and Batch APIs as overnight batches use them (batches/): upload a file, create,
// look at and cancel a batch, read an output file. One attempt each: whoever advances batches
// next simply tries again. Failures become the same client errors as an image call's.
import { toFile } from 'openai';
import type { UpstreamClient } from './client';
import { upstreamError } from './to-http-error';

export type BatchEndpoint = '/v1/images/generations' | '/v1/images/edits';

/** The fields of OpenAI's Batch object that Framefill follows. */
export interface UpstreamBatch {
  id: string;
  status: string;
  output_file_id: string | null;
  error_file_id: string | null;
  request_counts: { total: number; completed: number; failed: number };
}

/** OpenAI's statuses after which a batch changes no more (its files are final). */
export const FINAL_UPSTREAM_STATUSES: readonly string[] = ['completed', 'failed', 'expired', 'cancelled'];

export interface BatchApiOptions {
  timeoutMs: number;
  /** never put in an error */
  secrets: readonly string[];
}

async function mapped<T>(options: BatchApiOptions, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw upstreamError(err, { cause: null, timeoutMs: options.timeoutMs, secrets: options.secrets });
  }
}

const followed = (b: { id: string; status: string; output_file_id?: string | null; error_file_id?: string | null; request_counts?: UpstreamBatch['request_counts'] | null }): UpstreamBatch => ({
  id: b.id,
  status: b.status,
  output_file_id: b.output_file_id ?? null,
  error_file_id: b.error_file_id ?? null,
  request_counts: b.request_counts ?? { total: 0, completed: 0, failed: 0 },
});

/** Uploads bytes as a file (`vision`: an edit's reference image or mask; `batch`: the JSONL input); its id. */
export function uploadFile(client: UpstreamClient, file: { bytes: Uint8Array; filename: string; type: string }, purpose: 'vision' | 'batch', options: BatchApiOptions): Promise<string> {
  return mapped(options, async () => (await client.files.create({ file: await toFile(file.bytes, file.filename, { type: file.type }), purpose })).id);
}

export function createBatch(client: UpstreamClient, inputFileId: string, endpoint: BatchEndpoint, options: BatchApiOptions): Promise<UpstreamBatch> {
  return mapped(options, async () => followed(await client.batches.create({ input_file_id: inputFileId, endpoint, completion_window: '24h' })));
}

export function retrieveBatch(client: UpstreamClient, id: string, options: BatchApiOptions): Promise<UpstreamBatch> {
  return mapped(options, async () => followed(await client.batches.retrieve(id)));
}

export function cancelBatch(client: UpstreamClient, id: string, options: BatchApiOptions): Promise<UpstreamBatch> {
  return mapped(options, async () => followed(await client.batches.cancel(id)));
}

/** A line longer than this is not one OpenAI writes (one item's images and usage); the file is refused. */
const MAX_LINE_CHARS = 512 * 1024 * 1024;

/**
 * An output or error file's lines, read as they arrive: a batch of large images makes a file of
 * gigabytes, which must never be held whole (a Worker has 128 MB).
 */
export async function* fileLines(client: UpstreamClient, id: string, options: BatchApiOptions): AsyncGenerator<string> {
  const response = await mapped(options, () => client.files.content(id));
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  try {
    for (;;) {
      const next = await mapped(options, () => reader.read());
      if (next.done) break;
      pending += next.value;
      let end = pending.indexOf('\n');
      while (end >= 0) {
        yield pending.slice(0, end);
        pending = pending.slice(end + 1);
        end = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE_CHARS) throw new RangeError(`batch file ${id}: a line longer than ${MAX_LINE_CHARS} characters`);
    }
    if (pending.trim() !== '') yield pending;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
