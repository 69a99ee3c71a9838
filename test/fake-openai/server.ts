// A fake of OpenAI's Images API on 127.0.0.1, for tests, benchmarks and the demo mode: same
// validation, response and error shapes, SSE streams, plus injectable faults. Plain node:http,
// because faults need the socket (resets, truncated bodies, hangs).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  FakeApiError,
  invalidApiKey,
  invalidRequest,
  methodNotAllowed,
  moderationBlocked,
  notFound,
  payloadTooLarge,
  rateLimited,
  serverError,
  streamingUnsupported,
  unavailable,
} from './errors.js';
import { batchApi, isBatchApiPath } from './batch-routes.js';
import { FakeBatches, type BatchControl } from './batches.js';
import { FakeFiles, type FileObject } from './files.js';
import { imageBase64 } from './image-cache.js';
import { parseMultipart } from './multipart.js';
import {
  MAX_IMAGE_BYTES,
  MAX_MASK_BYTES,
  MAX_REFERENCES,
  parseEditRequest,
  parseGenerationRequest,
  type ImageJob,
  type UploadedFile,
} from './params.js';
import { sniffImage } from './sniff.js';
import { finalSpec, imagesResponse, nowSeconds, partialSpec, usageOf } from './images-body.js';

export type FakeFault =
  | { kind: 'rate_limit'; retryAfterSeconds?: number }
  | { kind: 'server_error' }
  | { kind: 'unavailable' }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'truncated_stream' }
  | { kind: 'moderation_blocked' }
  | { kind: 'invalid_json' };

export interface FakeOpenAIOptions {
  /** accepted key; a wrong or missing key gets 401 `invalid_api_key` */
  apiKey?: string;
  /** time to "generate" a final image */
  latencyMs?: number;
  /** gap between SSE partial events */
  partialIntervalMs?: number;
  port?: number;
  /**
   * Models (ids exactly as sent) that refuse `stream: true` with the 400 OpenAI gives an
   * unsupported parameter (param 'stream', code 'unsupported_value'); their non-stream calls work.
   */
  noStreamModels?: readonly string[];
  /**
   * Every request gets images of its own, as the real API never returns the same image twice
   * (default off: the same request gives the same images, which the image cache makes cheap).
   */
  freshImages?: boolean;
  /**
   * Keep each uploaded file's bytes on its record (`files[i].data`), so tests can look at the
   * pixels an edit sent (a mask's alpha, say). Off by default: records stay small under load.
   */
  keepUploads?: boolean;
  /**
   * How long a batch takes from creation to `completed` (default 2000 ms): the accelerated clock
   * standing in for the Batch API's 24 h window. Items finish evenly across it.
   */
  batchLatencyMs?: number;
}

export interface RecordedRequest {
  route: 'generations' | 'edits' | string;
  method: string;
  /** every request header except the key: `authorization` reads 'Bearer ***' */
  headers: Record<string, string>;
  /** whether the request carried the accepted key */
  authorized: boolean;
  /** JSON body fields, or multipart text fields */
  fields: Record<string, unknown>;
  files: { field: string; filename: string; type: string; bytes: number; format?: string; width?: number; height?: number; data?: Uint8Array }[];
  /** the client disconnected before the response finished */
  aborted: boolean;
  status?: number;
}

export interface FakeOpenAI {
  /** base URL including /v1: what OPENAI_BASE_URL gets */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** fault for the next `times` image requests (default: every one until cleared with null) */
  setFault(fault: FakeFault | null, times?: number): void;
  setLatency(ms: number): void;
  /** replace the models that refuse streaming (see FakeOpenAIOptions.noStreamModels); [] clears */
  setNoStreamModels(models: readonly string[]): void;
  /** the Batch API's test hooks: finish or expire batches now, fail single items (batches.ts) */
  batches: BatchControl;
  /** the Files API's test hook: the files held now (uploaded, and batches' output and error files) */
  files: { list(): FileObject[] };
  /** clear recorded requests, faults, files and batches (not the no-stream models) */
  reset(): void;
  /** also ends hanging and in-flight requests */
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'sk-fake-test-key';

/** Everything a maximal edit can carry, plus room for the text fields and multipart framing. */
const MAX_BODY_BYTES = MAX_REFERENCES * MAX_IMAGE_BYTES + MAX_MASK_BYTES + 1024 * 1024;

/** Records kept (oldest dropped first) so a long demo or load run cannot grow without bound. */
const MAX_RECORDS = 10_000;

/** Faults that need a valid request to make sense; the others strike before validation. */
const CONTENT_FAULTS = new Set<FakeFault['kind']>(['moderation_blocked', 'truncated_stream', 'invalid_json']);

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  rec: RecordedRequest;
  /** aborted when the client goes away or the fake closes */
  signal: AbortSignal;
  /** the fake itself ended the connection (fault or close), so it is not a client abort */
  serverEnded: boolean;
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  let latencyMs = options.latencyMs ?? 30;
  const partialIntervalMs = options.partialIntervalMs ?? 10;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const active = new Set<Exchange>();
  const closing = new AbortController();
  let fault: FakeFault | null = null;
  let faultsLeft = 0;
  let noStreamModels = new Set(options.noStreamModels ?? []);
  let served = 0;
  const files = new FakeFiles();
  const batches = new FakeBatches(files, options.batchLatencyMs ?? 2000);
  /** the seed offset of the next response's images */
  const nextSeeds = () => (options.freshImages ? 100 * ++served : 0);

  function takeFault(stage: 'transport' | 'content'): FakeFault | null {
    if (!fault || faultsLeft <= 0) return null;
    if (CONTENT_FAULTS.has(fault.kind) !== (stage === 'content')) return null;
    const taken = fault;
    faultsLeft -= 1;
    if (faultsLeft <= 0) fault = null;
    return taken;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const route = path === '/v1/images/generations' ? 'generations' : path === '/v1/images/edits' ? 'edits' : path;
    const rec: RecordedRequest = {
      route,
      method: req.method ?? 'GET',
      headers: recordHeaders(req.headers),
      authorized: false,
      fields: {},
      files: [],
      aborted: false,
    };
    requests.push(rec);
    if (requests.length > MAX_RECORDS) requests.splice(0, requests.length - MAX_RECORDS);
    const clientGone = new AbortController();
    const ex: Exchange = { req, res, rec, signal: AbortSignal.any([clientGone.signal, closing.signal]), serverEnded: false };
    active.add(ex);
    res.setHeader('x-request-id', `req_${randomBytes(16).toString('hex')}`);
    res.on('error', () => {}); // writes racing a client disconnect
    res.on('close', () => {
      if (!res.writableFinished && !ex.serverEnded) rec.aborted = true;
      active.delete(ex);
      clientGone.abort();
    });

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'aborted' || ex.signal.aborted) return;
    try {
      if (body === 'too_large') throw payloadTooLarge(MAX_BODY_BYTES);
      // Parsed (and recorded) before auth and faults so tests can inspect any request.
      let parsed: JsonBody | FormBody | undefined;
      let parseError: unknown;
      try {
        // Edits and file uploads are multipart; everything else is JSON.
        parsed = await parseBody(route === 'edits' || (path === '/v1/files' && rec.method === 'POST'), req, body);
        recordBody(rec, parsed, options.keepUploads ?? false);
      } catch (error) {
        parseError = error;
      }

      const key = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
      rec.authorized = key === apiKey;
      if (!rec.authorized) throw invalidApiKey(key);
      if (isBatchApiPath(path)) {
        const answer = batchApi(rec.method, path, parsed, parseError, files, batches);
        sendRaw(ex, answer.status, answer.type, answer.body);
        return;
      }
      if (route !== 'generations' && route !== 'edits') throw notFound(rec.method, path);
      if (rec.method !== 'POST') throw methodNotAllowed(rec.method, path);

      const transport = takeFault('transport');
      if (transport) {
        const model = typeof rec.fields.model === 'string' ? rec.fields.model : 'gpt-image-2';
        await strike(ex, transport, model);
        return;
      }
      if (!parsed) throw parseError;
      const job = parsed.kind === 'json' ? parseGenerationRequest(parsed.json) : parseEditRequest(parsed.fields, parsed.files);
      if (job.stream && noStreamModels.has(job.model)) throw streamingUnsupported(job.model);
      const content = takeFault('content');
      if (content?.kind === 'moderation_blocked') throw moderationBlocked();
      if (job.stream) await streamImages(ex, job, content);
      else await respondImages(ex, job, content);
    } catch (error) {
      if (ex.signal.aborted) return;
      if (res.headersSent) {
        endConnection(ex);
        return;
      }
      sendError(ex, error instanceof FakeApiError ? error : serverError());
    }
  }

  async function strike(ex: Exchange, f: FakeFault, model: string): Promise<void> {
    switch (f.kind) {
      case 'rate_limit':
        return sendError(ex, rateLimited(model, f.retryAfterSeconds ?? 1));
      case 'server_error':
        return sendError(ex, serverError());
      case 'unavailable':
        return sendError(ex, unavailable());
      case 'reset':
        return endConnection(ex);
      case 'hang':
        await sleep(Number.POSITIVE_INFINITY, ex.signal);
        if (!ex.res.destroyed) endConnection(ex); // close() came first
        return;
      default:
        return;
    }
  }

  async function respondImages(ex: Exchange, job: ImageJob, content: FakeFault | null): Promise<void> {
    if (!(await sleep(latencyMs, ex.signal))) return;
    if (content?.kind === 'invalid_json') {
      sendRaw(ex, 200, 'application/json', '<html><body><h1>502 Bad Gateway</h1></body></html>\n');
      return;
    }
    const body = JSON.stringify(imagesResponse(job, nextSeeds()));
    if (content?.kind === 'truncated_stream') {
      // Promise the whole body, deliver half, hang up: what a dropped upstream looks like.
      const bytes = Buffer.from(body);
      ex.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
      ex.rec.status = 200;
      ex.res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => endConnection(ex));
      return;
    }
    sendRaw(ex, 200, 'application/json', body);
  }

  async function streamImages(ex: Exchange, job: ImageJob, content: FakeFault | null): Promise<void> {
    const { res } = ex;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    ex.rec.status = 200;
    const prefix = job.kind === 'generations' ? 'image_generation' : 'image_edit';
    const offset = nextSeeds();
    const common = () => ({
      created_at: nowSeconds(),
      size: `${job.width}x${job.height}`,
      quality: job.quality,
      background: job.background,
      output_format: job.outputFormat,
    });
    if (content?.kind === 'invalid_json') {
      res.end(`event: ${prefix}.partial_image\ndata: {"type":"${prefix}.partial_image","b64_json":"iVBOR\n\n`);
      return;
    }
    for (let i = 0; i < job.n; i++) {
      const started = Date.now();
      for (let k = 0; k < job.partialImages; k++) {
        if (!(await sleep(partialIntervalMs, ex.signal))) return;
        const partial = { type: `${prefix}.partial_image`, b64_json: imageBase64(partialSpec(job, i, k)), ...common(), partial_image_index: k };
        res.write(sseEvent(partial.type, partial));
      }
      if (content?.kind === 'truncated_stream') {
        res.end(); // a clean end, but no completed event: the client must notice
        return;
      }
      if (!(await sleep(latencyMs - (Date.now() - started), ex.signal))) return;
      // Usage is split so the completed events add up to the whole request: input counted once,
      // each image's partials billed with it (as OpenAI does: 100 output tokens a partial).
      const completed = { type: `${prefix}.completed`, b64_json: imageBase64(finalSpec(job, i, offset)), ...common(), usage: usageOf(job, 1, i === 0, job.partialImages) };
      res.write(sseEvent(completed.type, completed));
    }
    res.end();
  }

  function sendError(ex: Exchange, error: FakeApiError): void {
    sendRaw(ex, error.status, 'application/json', JSON.stringify({ error: error.body }), error.headers);
  }

  function sendRaw(ex: Exchange, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
    ex.rec.status = status;
    ex.res.writeHead(status, { ...headers, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) });
    ex.res.end(body);
  }

  function endConnection(ex: Exchange): void {
    ex.serverEnded = true;
    ex.req.socket.destroy();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    socket.setNoDelay(true); // each SSE event leaves at once
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    batches,
    files: { list: () => files.list() },
    setFault(next, times) {
      fault = next;
      faultsLeft = next ? (times ?? Number.POSITIVE_INFINITY) : 0;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    setNoStreamModels(models) {
      noStreamModels = new Set(models);
    },
    reset() {
      requests.length = 0; // in place: callers may hold the array
      fault = null;
      faultsLeft = 0;
      files.clear();
      batches.clear();
    },
    close() {
      for (const ex of active) ex.serverEnded = true;
      closing.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

// ---------- request bodies ----------

interface JsonBody { kind: 'json'; json: unknown }
interface FormBody { kind: 'form'; fields: Record<string, string>; files: UploadedFile[] }

async function parseBody(multipart: boolean, req: IncomingMessage, body: Buffer): Promise<JsonBody | FormBody> {
  const contentType = req.headers['content-type'] ?? '';
  if (multipart) {
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw invalidRequest(`Invalid Content-Type header (${contentType || 'none'}), expected multipart/form-data.`, null, null);
    }
    return { kind: 'form', ...(await parseMultipart(body, contentType)) };
  }
  try {
    return { kind: 'json', json: JSON.parse(body.toString('utf8')) };
  } catch {
    throw invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      null,
      null,
    );
  }
}

function recordBody(rec: RecordedRequest, parsed: JsonBody | FormBody, keepUploads: boolean): void {
  if (parsed.kind === 'json') {
    if (typeof parsed.json === 'object' && parsed.json !== null && !Array.isArray(parsed.json)) rec.fields = { ...parsed.json };
    return;
  }
  rec.fields = { ...parsed.fields };
  rec.files = parsed.files.map((f) => {
    const sniffed = sniffImage(f.bytes);
    return { field: f.field, filename: f.filename, type: f.type, bytes: f.bytes.byteLength, ...(sniffed ?? {}), ...(keepUploads ? { data: f.bytes } : {}) };
  });
}

/** The whole body, or why not: over the limit (drained, not kept) or the client left. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let ended = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      ended = true;
      resolve(size > limit ? 'too_large' : Buffer.concat(chunks));
    });
    req.on('error', () => resolve('aborted'));
    req.on('close', () => {
      if (!ended) resolve('aborted');
    });
  });
}

function recordHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = name === 'authorization' ? 'Bearer ***' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

// ---------- responses ----------

function sseEvent(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    // Infinity means "until aborted"; setTimeout would fire at once on it.
    const timer = Number.isFinite(ms) ? setTimeout(() => done(true), Math.max(0, ms)) : undefined;
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
