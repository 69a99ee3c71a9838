// The Batch API on an accelerated clock: POST /v1/batches reads its JSONL input file, runs each
// line as the live endpoint would (same validation as the image routes: an invalid line becomes
// a line of the error file, not a failed batch), and finishes `latencyMs` after creation. Items
// finish one after another across that time, so a cancel or an expiry part-way leaves some done.
// Tests can finish (`completeNow`) or expire (`expireNow`) a batch at once, and make single
// items fail (`setItemFault`).
//
// Edits in a batch: a line's body is JSON (a JSONL line cannot carry multipart), its reference
// images uploaded beforehand as files and named `images: [{file_id}]`, the mask `mask: {file_id}`
// — the shape of OpenAI's JSON edit requests.
import { randomBytes } from 'node:crypto';
import { FakeApiError, invalidChoice, invalidRequest, invalidType, missingParameter, moderationBlocked, serverError, unknownParameter } from './errors.js';
import { noSuchFile, type FakeFiles } from './files.js';
import { imagesResponse, nowSeconds } from './images-body.js';
import { parseEditRequest, parseGenerationRequest, type ImageJob, type UploadedFile } from './params.js';
import type { FakeUsage } from './usage.js';

const ENDPOINTS = ['/v1/responses', '/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', '/v1/videos'] as const;
/** What this fake runs; the other endpoints exist upstream but are not images. */
const IMAGE_ENDPOINTS: readonly string[] = ['/v1/images/generations', '/v1/images/edits'];
const WINDOW_SECONDS = 24 * 3600;
/** OpenAI's cap on requests in one batch. */
const MAX_LINES = 50_000;

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';
export type ItemFault = 'server_error' | 'moderation_blocked';

interface BatchErrorEntry { code: string; line: number | null; message: string; param: string | null }

export interface FakeBatch {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: BatchErrorEntry[] } | null;
  input_file_id: string;
  completion_window: string;
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
  usage?: { input_tokens: number; input_tokens_details: { cached_tokens: number }; output_tokens: number; output_tokens_details: { reasoning_tokens: number }; total_tokens: number };
}

interface Line { custom_id: string; body: unknown; url: unknown; method: unknown }

interface Running {
  batch: FakeBatch;
  lines: Line[];
  /** ms (Date.now) when the batch was created, and when every item is done */
  startedMs: number;
  doneMs: number;
  /** set by cancel/expire: items not done by then are not run */
  stopAt: number | null;
  stopCode: 'batch_cancelled' | 'batch_expired' | null;
}

export interface BatchControl {
  /** every batch created, newest last */
  list(): FakeBatch[];
  /** finish batches now (default: every one in progress) */
  completeNow(id?: string): void;
  /** expire batches now: the first `done` items (default 0) finished in time, the rest expire */
  expireNow(id?: string, options?: { done?: number }): void;
  /** the line with this custom_id fails (in whichever batch runs it), reported in the error file */
  setItemFault(customId: string, fault: ItemFault | null): void;
  /** the next POST /v1/batches for `endpoint` answers 500, as an outage would */
  failNextCreate(endpoint: string): void;
  setLatency(ms: number): void;
}

export class FakeBatches implements BatchControl {
  private readonly batches = new Map<string, Running>();
  private readonly faults = new Map<string, ItemFault>();
  private readonly createFaults = new Set<string>();

  constructor(
    private readonly files: FakeFiles,
    private latencyMs: number,
  ) {}

  /** POST /v1/batches */
  create(body: unknown): FakeBatch {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.', null, 'invalid_type');
    const raw = body as Record<string, unknown>;
    for (const key of Object.keys(raw)) {
      if (!['input_file_id', 'endpoint', 'completion_window', 'metadata', 'output_expires_after'].includes(key)) throw unknownParameter(key);
    }
    const inputId = requiredString(raw, 'input_file_id');
    const endpoint = requiredString(raw, 'endpoint');
    if (!(ENDPOINTS as readonly string[]).includes(endpoint)) throw invalidChoice('endpoint', endpoint, ENDPOINTS);
    const window = requiredString(raw, 'completion_window');
    if (window !== '24h') throw invalidChoice('completion_window', window, ['24h']);
    const input = this.files.find(inputId);
    if (!input) throw noSuchFile(inputId, 'input_file_id');
    if (input.meta.purpose !== 'batch') {
      throw invalidRequest(`File ${inputId} has purpose '${input.meta.purpose}'; a batch's input file must have purpose 'batch'.`, 'input_file_id', 'invalid_file_purpose');
    }
    if (!IMAGE_ENDPOINTS.includes(endpoint)) throw invalidRequest(`The fake serves image batches only, not '${endpoint}'.`, 'endpoint', 'unsupported_value');
    if (this.createFaults.delete(endpoint)) throw serverError();
    const now = nowSeconds();
    const batch: FakeBatch = {
      id: `batch_${randomBytes(12).toString('hex')}`,
      object: 'batch',
      endpoint,
      errors: null,
      input_file_id: inputId,
      completion_window: window,
      status: 'in_progress',
      output_file_id: null,
      error_file_id: null,
      created_at: now,
      in_progress_at: now,
      expires_at: now + WINDOW_SECONDS,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: isStringRecord(raw.metadata) ? raw.metadata : null,
    };
    const started = Date.now();
    const running: Running = { batch, lines: [], startedMs: started, doneMs: started + this.latencyMs, stopAt: null, stopCode: null };
    this.batches.set(batch.id, running);
    // Problems with the file as a whole fail the batch (what `errors` is for); line bodies are checked when run.
    const parsed = parseInput(new TextDecoder().decode(input.data));
    if ('errors' in parsed) {
      Object.assign(batch, { status: 'failed', failed_at: now, in_progress_at: null, errors: { object: 'list', data: parsed.errors } });
    } else {
      running.lines = parsed.lines;
      batch.request_counts.total = parsed.lines.length;
    }
    return batch;
  }

  /** GET /v1/batches/{id}: advanced to the fake's clock first. */
  retrieve(id: string): FakeBatch {
    const running = this.get(id);
    this.advance(running, Date.now());
    return running.batch;
  }

  /** POST /v1/batches/{id}/cancel: cancelling at once, cancelled (with what finished) on the next look. */
  cancel(id: string): FakeBatch {
    const running = this.get(id);
    this.advance(running, Date.now());
    const { batch } = running;
    if (batch.status !== 'in_progress' && batch.status !== 'validating') {
      throw new FakeApiError(409, { message: `Cannot cancel a batch with status '${batch.status}'.`, type: 'invalid_request_error', param: null, code: null });
    }
    running.stopAt = Date.now();
    running.stopCode = 'batch_cancelled';
    batch.status = 'cancelling';
    batch.cancelling_at = nowSeconds();
    return batch;
  }

  list(): FakeBatch[] {
    return [...this.batches.values()].map((r) => r.batch);
  }

  completeNow(id?: string): void {
    for (const running of this.pick(id)) {
      running.doneMs = Date.now();
      this.advance(running, running.doneMs);
    }
  }

  expireNow(id?: string, options: { done?: number } = {}): void {
    for (const running of this.pick(id)) {
      const total = Math.max(1, running.lines.length);
      // Stop just after item `done` finished: items finish evenly across [startedMs, doneMs].
      running.doneMs = Math.max(Date.now(), running.startedMs + total);
      running.stopAt = itemDoneAt(running, Math.min(options.done ?? 0, total) - 1);
      running.stopCode = 'batch_expired';
      this.finish(running);
    }
  }

  setItemFault(customId: string, fault: ItemFault | null): void {
    if (fault) this.faults.set(customId, fault);
    else this.faults.delete(customId);
  }

  failNextCreate(endpoint: string): void {
    this.createFaults.add(endpoint);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  clear(): void {
    this.batches.clear();
    this.faults.clear();
    this.createFaults.clear();
  }

  private get(id: string): Running {
    const running = this.batches.get(id);
    if (!running) throw new FakeApiError(404, { message: `No batch found with id '${id}'.`, type: 'invalid_request_error', param: null, code: null });
    return running;
  }

  private pick(id?: string): Running[] {
    const all = id === undefined ? [...this.batches.values()] : [this.get(id)];
    return all.filter((r) => r.batch.status === 'in_progress' || r.batch.status === 'validating');
  }

  private advance(running: Running, now: number): void {
    const { status } = running.batch;
    if (status === 'cancelling' || ((status === 'in_progress' || status === 'validating') && now >= running.doneMs)) this.finish(running);
  }

  /** Runs the lines that finished before any stop, writes the output and error files, and ends the batch. */
  private finish(running: Running): void {
    const { batch } = running;
    const outputs: string[] = [];
    const errors: string[] = [];
    const usage = { input_tokens: 0, output_tokens: 0 };
    running.lines.forEach((line, i) => {
      const id = `batch_req_${randomBytes(12).toString('hex')}`;
      if (running.stopAt !== null && itemDoneAt(running, i) > running.stopAt) {
        const message = running.stopCode === 'batch_expired'
          ? 'This request could not be executed before the completion window expired.'
          : 'This request was not executed because the batch was cancelled.';
        errors.push(JSON.stringify({ id, custom_id: line.custom_id, response: null, error: { code: running.stopCode, message } }));
        return;
      }
      const requestId = `req_${randomBytes(16).toString('hex')}`;
      try {
        const body = this.runLine(batch.endpoint, line, i);
        usage.input_tokens += body.usage.input_tokens;
        usage.output_tokens += body.usage.output_tokens;
        outputs.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: 200, request_id: requestId, body }, error: null }));
      } catch (err) {
        const e = err instanceof FakeApiError ? err : serverError();
        errors.push(JSON.stringify({ id, custom_id: line.custom_id, response: { status_code: e.status, request_id: requestId, body: { error: e.body } }, error: null }));
      }
    });
    const now = nowSeconds();
    const encoder = new TextEncoder();
    if (outputs.length > 0) batch.output_file_id = this.files.add(`${batch.id}_output.jsonl`, 'batch_output', encoder.encode(`${outputs.join('\n')}\n`)).id;
    if (errors.length > 0) batch.error_file_id = this.files.add(`${batch.id}_error.jsonl`, 'batch_output', encoder.encode(`${errors.join('\n')}\n`)).id;
    batch.request_counts = { total: running.lines.length, completed: outputs.length, failed: errors.length };
    batch.usage = {
      input_tokens: usage.input_tokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output_tokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.input_tokens + usage.output_tokens,
    };
    batch.finalizing_at = now;
    if (running.stopCode === 'batch_cancelled') Object.assign(batch, { status: 'cancelled', cancelled_at: now });
    else if (running.stopCode === 'batch_expired') Object.assign(batch, { status: 'expired', expired_at: now });
    else Object.assign(batch, { status: 'completed', completed_at: now });
  }

  /** One line, as the live endpoint would answer it; throws the FakeApiError it would answer instead. */
  private runLine(endpoint: string, line: Line, index: number): ReturnType<typeof imagesResponse> & { usage: FakeUsage } {
    if (line.method !== 'POST') throw invalidChoice('method', line.method, ['POST']);
    if (line.url !== endpoint) throw invalidRequest(`The url '${String(line.url)}' does not match the batch's endpoint '${endpoint}'.`, 'url', 'invalid_url');
    const job = endpoint === '/v1/images/edits' ? this.editJob(line.body) : parseGenerationRequest(line.body);
    if (job.stream) throw invalidRequest('Streaming is not supported in the Batch API.', 'stream', 'unsupported_value');
    const fault = this.faults.get(line.custom_id);
    if (fault === 'moderation_blocked') throw moderationBlocked();
    if (fault === 'server_error') throw serverError();
    return imagesResponse(job, index * 100);
  }

  /** A JSON edit body: `images: [{file_id}]` and `mask: {file_id}` name uploaded files. */
  private editJob(body: unknown): ImageJob {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.', null, 'invalid_type');
    const { images, mask, ...rest } = body as Record<string, unknown>;
    const files: UploadedFile[] = [];
    if (images !== undefined) {
      if (!Array.isArray(images)) throw invalidType('images', 'an array', images);
      for (const ref of images) files.push(this.referenced(ref, 'images', 'image[]'));
    }
    if (mask !== undefined && mask !== null) files.push(this.referenced(mask, 'mask', 'mask'));
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(rest)) {
      if (value === null || value === undefined) continue;
      if (typeof value === 'object') throw invalidType(key, 'a string', value);
      fields[key] = String(value);
    }
    return parseEditRequest(fields, files);
  }

  private referenced(ref: unknown, param: string, field: string): UploadedFile {
    const fileId = typeof ref === 'object' && ref !== null ? (ref as Record<string, unknown>).file_id : undefined;
    if (typeof fileId !== 'string') throw invalidRequest(`Invalid '${param}': each reference must be an object with a 'file_id'.`, param, 'invalid_type');
    const file = this.files.find(fileId);
    if (!file) throw noSuchFile(fileId, param);
    return { field, filename: file.meta.filename, type: 'application/octet-stream', bytes: file.data };
  }
}

/** When item `i` finishes (ms): items finish evenly across the batch's run; -1 is its start. */
function itemDoneAt(running: Running, i: number): number {
  const total = Math.max(1, running.lines.length);
  return running.startedMs + ((running.doneMs - running.startedMs) * (i + 1)) / total;
}

/** The JSONL input: each line an object with a unique `custom_id`; else the batch fails. */
function parseInput(text: string): { lines: Line[] } | { errors: BatchErrorEntry[] } {
  const lines: Line[] = [];
  const errors: BatchErrorEntry[] = [];
  const seen = new Set<string>();
  const rows = text.split('\n');
  for (let i = 0; i < rows.length && errors.length < 100; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      errors.push({ code: 'invalid_json_line', line: i + 1, message: 'This line is not parseable as valid JSON.', param: null });
      continue;
    }
    const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    if (typeof obj.custom_id !== 'string' || obj.custom_id === '') {
      errors.push({ code: 'missing_required_parameter', line: i + 1, message: "Missing required parameter: 'custom_id'.", param: 'custom_id' });
      continue;
    }
    if (seen.has(obj.custom_id)) {
      errors.push({ code: 'duplicate_custom_id', line: i + 1, message: 'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.', param: 'custom_id' });
      continue;
    }
    seen.add(obj.custom_id);
    lines.push({ custom_id: obj.custom_id, body: obj.body, url: obj.url, method: obj.method });
  }
  if (lines.length === 0 && errors.length === 0) errors.push({ code: 'empty_file', line: null, message: 'The input file is empty.', param: null });
  if (lines.length > MAX_LINES) errors.push({ code: 'too_many_requests', line: null, message: `A batch may hold at most ${MAX_LINES} requests.`, param: null });
  return errors.length > 0 ? { errors } : { lines };
}

function requiredString(raw: Record<string, unknown>, key: string): string {
  const value = raw[key];
  if (value === undefined || value === null) throw missingParameter(key);
  if (typeof value !== 'string') throw invalidType(key, 'a string', value);
  return value;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
