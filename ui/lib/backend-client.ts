// Talks to the Framefill backend's OpenAI-compatible Images API: streamed generations and edits
// with partial previews, an idempotency key per request, retries for transient failures and
// rate limits, and the two Framefill extras (/v1/usage, /v1/results/{id}).
import {
  BATCHES_PATH,
  COST_HEADER,
  IDEMPOTENCY_HEADER,
  ERROR_CODES,
  errorBodySchema,
  imagesResponseSchema,
  modelListSchema,
  resultCancelSchema,
  streamEventSchema,
  usageSummarySchema,
  batchSchema,
  type Batch,
  type BatchItem,
  type ImagesResponse,
  type ModelList,
  type ResultCancel,
  type UsageSummary,
} from '../../backend/contract';
import type { Tier } from '../../backend/pricing';
import { BackendError, isBudgetError } from './backend-error';
import { billedUsd } from './cost-estimate';
import { fallbackModelList } from './model-catalog';
import { previewsPerImage } from './previews';
import { backoffMs, parseRetryAfter, withRetry, type RetryWait } from './retry';
import { readSse } from './sse';

export interface ClientConfig {
  backendUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
  /** for tests: how retries wait */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface UploadImage {
  bytes: Uint8Array;
  type: 'image/png' | 'image/jpeg';
  name: string;
}

export interface ImageJobRequest {
  kind: 'generate' | 'edit';
  prompt: string;
  /** the model id, e.g. "gpt-image-2.5-flare" */
  model: string;
  tier: Tier;
  /** "1536x1024" */
  size: string;
  n: number;
  outputFormat: 'png' | 'jpeg';
  /** a transparent background (only with PNG output) */
  transparent?: boolean;
  /** edits: the target first, then references */
  images?: UploadImage[];
  /** edits: PNG, transparent where to edit, the size of the first image */
  mask?: Uint8Array | null;
}

export interface ImageJobHooks {
  /** the Idempotency-Key; the same id fetches the result later from /v1/results */
  requestId: string;
  signal?: AbortSignal;
  onPartial?(b64: string, index: number): void;
  onWait?(wait: RetryWait): void;
}

export interface ImageJobResult {
  /** base64 images, PNG or JPEG */
  images: string[];
  /** what the backend billed, when it said */
  costUsd: number | null;
  model: string | null;
}

/** `gone` with `notKept`: it finished and was charged, but the backend dropped its images (no room, or too large). */
export type RecoveredResult = { status: 'done'; result: ImageJobResult } | { status: 'running' } | { status: 'gone'; notKept?: true };

/** Attempts in all for one request (network errors, 502/503 and rate limits). */
export const MAX_ATTEMPTS = 4;
/**
 * Retries after a connection error (the backend never answered). Few and short: an unreachable
 * backend is usually a wrong URL or a stopped server, and the user should hear so within ~4 s.
 */
export const NETWORK_RETRIES = 2;
const NETWORK_MAX_DELAY_MS = 2000;
/** A cancel is fire-and-forget; it must not hang around when the backend doesn't answer. */
export const CANCEL_TIMEOUT_MS = 5000;
/** Longer Retry-After than this is reported instead of waited out. */
export const MAX_RATE_LIMIT_WAIT_S = 120;
/** JPEG quality asked of the model for HD results. */
export const JPEG_COMPRESSION = 90;

export class BackendClient {
  private readonly base: string;
  private readonly fetcher: typeof fetch;

  constructor(private readonly config: ClientConfig) {
    this.base = config.backendUrl.trim().replace(/\/+$/, '');
    // Bound to globalThis: a detached window.fetch throws "Illegal invocation" in browsers.
    this.fetcher = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** POST /v1/images/generations or /v1/images/edits, streamed. */
  async createImages(request: ImageJobRequest, hooks: ImageJobHooks): Promise<ImageJobResult> {
    const path = request.kind === 'edit' ? '/v1/images/edits' : '/v1/images/generations';
    const body = request.kind === 'edit' ? editBody(request) : JSON.stringify(generationFields(request));
    const headers: Record<string, string> = { ...this.auth(), [IDEMPOTENCY_HEADER]: hooks.requestId, accept: 'text/event-stream, application/json' };
    if (typeof body === 'string') headers['content-type'] = 'application/json';

    const response = await withRetry(() => this.send(path, { method: 'POST', headers, body, signal: hooks.signal }), {
      maxAttempts: MAX_ATTEMPTS,
      signal: hooks.signal,
      decide: (error, attempt) => retryDecision(error, attempt),
      onWait: hooks.onWait,
      sleep: this.config.sleep,
    });
    if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) return this.readStream(response, hooks);
    return this.readJson(response);
  }

  /** GET /v1/usage: month-to-date spend of this token; also how "Test connection" checks the token. */
  async usage(signal?: AbortSignal): Promise<UsageSummary> {
    const response = await this.send('/v1/usage', { headers: this.auth(), signal });
    const parsed = usageSummarySchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new BackendError('unexpected /v1/usage body', { kind: 'invalid-response', url: this.base });
    return parsed.data;
  }

  /**
   * GET /v1/models: the models this deployment allows, with their qualities and prices. A backend
   * that predates the route (404) offers gpt-image-2 only, at its published prices.
   */
  async models(signal?: AbortSignal): Promise<ModelList> {
    let response: Response;
    try {
      response = await this.send('/v1/models', { headers: this.auth(), signal });
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return fallbackModelList();
      throw error;
    }
    const parsed = modelListSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new BackendError('unexpected /v1/models body', { kind: 'invalid-response', url: this.base });
    return parsed.data;
  }

  /** GET /v1/results/{id}: a run that went on while the panel was closed. */
  async result(requestId: string, signal?: AbortSignal): Promise<RecoveredResult> {
    let response: Response;
    try {
      response = await this.send(`/v1/results/${encodeURIComponent(requestId)}`, { headers: this.auth(), signal });
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return error.code === ERROR_CODES.resultNotRetained ? { status: 'gone', notKept: true } : { status: 'gone' };
      throw error;
    }
    if (response.status === 202) {
      await response.body?.cancel().catch(() => undefined);
      return { status: 'running' };
    }
    return { status: 'done', result: await this.readJson(response) };
  }

  /**
   * DELETE /v1/results/{id}: stops a run the user cancelled, upstream call included (the backend
   * otherwise finishes keyed runs for recovery), or forgets its stored result. 'gone' when the
   * backend knows no such run.
   */
  async cancel(requestId: string, timeoutMs = CANCEL_TIMEOUT_MS): Promise<ResultCancel['status'] | 'gone'> {
    let response: Response;
    try {
      response = await this.send(`/v1/results/${encodeURIComponent(requestId)}`, { method: 'DELETE', headers: this.auth(), signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return 'gone';
      throw error;
    }
    const parsed = resultCancelSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new BackendError('unexpected DELETE /v1/results body', { kind: 'invalid-response', url: this.base });
    return parsed.data.status;
  }

  /**
   * (issue 16) POST /v1/framefill/batches: an overnight batch, answered at once with its id and what
   * is reserved. `key` (one per scheduling) is its Idempotency-Key: an answer lost on the way is
   * asked for again with the same key, and the backend hands back the batch it already made
   * instead of making (and charging) a second one.
   */
  async submitBatch(items: BatchItem[], key: string, signal?: AbortSignal): Promise<Batch> {
    const init = { method: 'POST', headers: { ...this.auth(), 'content-type': 'application/json', [IDEMPOTENCY_HEADER]: key }, body: JSON.stringify({ items }), signal };
    const response = await withRetry(() => this.send(BATCHES_PATH, init), {
      maxAttempts: NETWORK_RETRIES + 1,
      signal,
      decide: (error, attempt) => submitRetryDecision(error, attempt),
      sleep: this.config.sleep,
    });
    return this.readBatch(response);
  }

  /** (issue 16) GET /v1/framefill/batches/{id}: status and per-item progress; null when the backend doesn't know it (expired, or another token's). */
  async batch(id: string, signal?: AbortSignal): Promise<Batch | null> {
    return this.batchCall(id, { headers: this.auth(), signal });
  }

  /** (issue 16) DELETE /v1/framefill/batches/{id}: cancels it upstream; what already finished is kept (and charged). */
  async cancelBatch(id: string, timeoutMs = CANCEL_TIMEOUT_MS): Promise<Batch | null> {
    return this.batchCall(id, { method: 'DELETE', headers: this.auth(), signal: AbortSignal.timeout(timeoutMs) });
  }

  private async batchCall(id: string, init: RequestInit): Promise<Batch | null> {
    try {
      return await this.readBatch(await this.send(`${BATCHES_PATH}/${encodeURIComponent(id)}`, init));
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return null;
      throw error;
    }
  }

  private async readBatch(response: Response): Promise<Batch> {
    const parsed = batchSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new BackendError('unexpected batch body', { kind: 'invalid-response', url: this.base });
    return parsed.data;
  }

  private auth(): Record<string, string> {
    const token = this.config.accessToken.trim();
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** fetch, with every failure turned into a BackendError; non-2xx answers throw. */
  private async send(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.base}${path}`, init);
    } catch (error) {
      if (init.signal?.aborted) throw init.signal.reason ?? error;
      // fetch rejects with TypeError when it never got an answer (offline, bad URL, CORS).
      throw new BackendError(error instanceof Error ? error.message : 'fetch failed', { kind: 'network', url: this.base, cause: error });
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: a proxy's HTML error page, say
    }
    const parsed = errorBodySchema.safeParse(body);
    const error = parsed.success ? parsed.data.error : null;
    throw new BackendError(error?.message ?? `HTTP ${response.status}`, {
      kind: 'http',
      url: this.base,
      status: response.status,
      code: error?.code ?? null,
      type: error?.type ?? null,
      param: error?.param ?? null,
      retryAfterS: parseRetryAfter(response.headers.get('retry-after')),
    });
  }

  private async readStream(response: Response, hooks: ImageJobHooks): Promise<ImageJobResult> {
    if (!response.body) throw new BackendError('empty stream', { kind: 'dropped', url: this.base });
    const images: string[] = [];
    let cost: number | null = null;
    let model: string | null = null;
    // Set from the event callback (a holder, so narrowing doesn't assume it stays null).
    const failure: { error: BackendError | null } = { error: null };
    try {
      await readSse(
        response.body,
        (event) => {
          let json: unknown;
          try {
            json = JSON.parse(event.data);
          } catch {
            return; // "[DONE]" and other non-JSON lines carry nothing for us
          }
          const parsed = streamEventSchema.safeParse(json);
          if (!parsed.success) return;
          const e = parsed.data;
          if (e.type === 'error') {
            failure.error = new BackendError(e.error.message, { kind: 'stream', url: this.base, code: e.error.code ?? null, type: e.error.type ?? null, param: e.error.param ?? null });
          } else if (e.type === 'image_generation.completed' || e.type === 'image_edit.completed') {
            images.push(e.b64_json);
            // Each completed event carries what the backend billed for it.
            if (e.framefill) {
              cost = (cost ?? 0) + e.framefill.cost_usd;
              model = e.framefill.model;
            }
          } else if (e.type === 'image_generation.partial_image' || e.type === 'image_edit.partial_image') {
            hooks.onPartial?.(e.b64_json as string, e.partial_image_index as number);
          }
        },
        hooks.signal,
      );
    } catch (error) {
      if (hooks.signal?.aborted) throw hooks.signal.reason ?? error;
      // A dropped connection after some images arrived still delivers those (they are paid for).
      if (images.length === 0 && !failure.error) throw new BackendError('stream interrupted', { kind: 'dropped', url: this.base, cause: error });
    }
    if (failure.error && images.length === 0) throw failure.error;
    if (images.length === 0) throw new BackendError('stream ended without an image', { kind: 'dropped', url: this.base });
    return { images, costUsd: billedUsd(cost, response.headers.get(COST_HEADER)), model };
  }

  private async readJson(response: Response): Promise<ImageJobResult> {
    const parsed = imagesResponseSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw new BackendError('unexpected images body', { kind: 'invalid-response', url: this.base });
    const body: ImagesResponse = parsed.data;
    const images = body.data.map((d) => d.b64_json).filter((b): b is string => typeof b === 'string' && b.length > 0);
    if (images.length === 0) throw new BackendError('no images in body', { kind: 'invalid-response', url: this.base });
    return { images, costUsd: billedUsd(body.framefill?.cost_usd, response.headers.get(COST_HEADER)), model: body.framefill?.model ?? null };
  }
}

function generationFields(request: ImageJobRequest): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {
    model: request.model,
    prompt: request.prompt,
    n: request.n,
    quality: request.tier,
    size: request.size,
    output_format: request.outputFormat,
    stream: true,
    partial_images: previewsPerImage(request.tier),
  };
  if (request.transparent) {
    // Transparency needs PNG (Figma can't place WebP; JPEG has no alpha), HD or not.
    fields.background = 'transparent';
    fields.output_format = 'png';
  } else if (request.outputFormat === 'jpeg') fields.output_compression = JPEG_COMPRESSION;
  return fields;
}

function editBody(request: ImageJobRequest): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(generationFields(request))) form.append(key, String(value));
  for (const image of request.images ?? []) {
    form.append('image[]', new Blob([image.bytes as Uint8Array<ArrayBuffer>], { type: image.type }), image.name);
  }
  if (request.mask) form.append('mask', new Blob([request.mask as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'mask.png');
  return form;
}

/** A batch POST is sent again only when no answer came (or the first is still being submitted): the key makes that safe. */
function submitRetryDecision(error: unknown, attempt: number): Omit<RetryWait, 'attempt'> | null {
  if (!(error instanceof BackendError)) return null;
  if (error.kind === 'network') return retryDecision(error, attempt);
  if (error.status === 409 && error.code === ERROR_CODES.requestInProgress) return { reason: 'transient', delayMs: Math.min(error.retryAfterS ?? 5, 10) * 1000 };
  return null;
}

/**
 * Connection errors get NETWORK_RETRIES quick retries; 502/503 back off; rate limits wait what
 * the server asks; the rest is final.
 */
export function retryDecision(error: unknown, attempt: number, random: () => number = Math.random): Omit<RetryWait, 'attempt'> | null {
  if (!(error instanceof BackendError)) return null;
  if (error.kind === 'network') {
    return attempt <= NETWORK_RETRIES ? { reason: 'unreachable', delayMs: backoffMs(attempt, 1000, NETWORK_MAX_DELAY_MS, random), retries: NETWORK_RETRIES } : null;
  }
  if (error.status === 502 || error.status === 503) {
    return { reason: 'transient', delayMs: backoffMs(attempt, 1000, 8000, random) };
  }
  if (error.status === 429 && !isBudgetError(error)) {
    const seconds = error.retryAfterS ?? 10;
    return seconds <= MAX_RATE_LIMIT_WAIT_S ? { reason: 'rate-limit', delayMs: seconds * 1000 } : null;
  }
  return null;
}
