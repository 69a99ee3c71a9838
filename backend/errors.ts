// Every error the backend constructs, in one module (like openai-node's core/error.ts):
//   - HttpError: becomes a response. Every 4xx/5xx the backend sends is OpenAI's
//     `{error:{message,type,param,code}}` (errorBodySchema in contract.ts), so the official SDKs
//     turn it into their usual error classes. It keeps the error that led to it as `cause`.
//   - StoreError: the shared store (Redis, Upstash) failed; the only thing reported to callers as
//     503 store_unavailable.
//   - ConfigError: the configuration cannot be used; one line for whoever runs the backend.
// The factories below are the only places an HttpError is built; the codes the panel reacts to
// come from contract.ts (ERROR_CODES).
import { ERROR_CODES, IDEMPOTENCY_HEADER, MAX_PROMPT_CHARS, type ErrorBody } from './contract';
import { describeMonthStart, nextUtcDayStart, nextUtcMonthStart, secondsUntil } from './store/keys';

export type ErrorType = 'invalid_request_error' | 'upstream_error' | 'server_error' | (string & {});

export interface ErrorInit {
  type?: ErrorType;
  code?: string | null;
  param?: string | null;
  /** extra response headers, e.g. Retry-After */
  headers?: Record<string, string>;
  /** what led to this error; logged for 5xx, never sent */
  cause?: unknown;
}

/** An error that becomes an HTTP response. */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Record<string, string>;

  constructor(status: number, message: string, init: ErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = status;
    this.type = init.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }

  body(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  toResponse(): Response {
    return jsonResponse(this.body(), this.status, this.headers);
  }
}

/** The shared store could not be reached or answered nonsense (not a refusal of the request). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/** The configuration cannot be used; `message` is one line meant for whoever runs the backend. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** Any this many characters of a secret are treated as the secret: enough to find or guess the rest. */
const SECRET_PIECE = 12;

interface SecretPieces {
  /** every SECRET_PIECE-character piece of the longer secrets */
  pieces: Set<string>;
  /** secrets shorter than that, matched whole */
  short: string[];
}

// The secrets arrays live as long as the app (RouteDeps.secrets): their pieces are cut once.
const piecesCache = new WeakMap<readonly string[], SecretPieces>();

function piecesOf(secrets: readonly string[]): SecretPieces {
  let found = piecesCache.get(secrets);
  if (!found) {
    found = { pieces: new Set(), short: [] };
    for (const secret of secrets) {
      if (secret.length < 4) continue;
      if (secret.length < SECRET_PIECE) found.short.push(secret);
      else for (let i = 0; i + SECRET_PIECE <= secret.length; i++) found.pieces.add(secret.slice(i, i + SECRET_PIECE));
    }
    piecesCache.set(secrets, found);
  }
  return found;
}

/**
 * Replaces every occurrence of each secret (OpenAI key, client secrets), and every piece of one at
 * least SECRET_PIECE characters long (an upstream may echo part of the key), with [redacted].
 * One pass over `text` whatever the number of secrets.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const { pieces, short } = piecesOf(secrets);
  const spans: Array<[number, number]> = [];
  if (pieces.size > 0) {
    for (let at = 0; at + SECRET_PIECE <= text.length; at++) if (pieces.has(text.slice(at, at + SECRET_PIECE))) spans.push([at, at + SECRET_PIECE]);
  }
  for (const secret of short) {
    for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) spans.push([at, at + secret.length]);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let kept = 0;
  let [start, end] = spans[0]!;
  for (const [from, to] of spans) {
    if (from > end) {
      out += `${text.slice(kept, start)}[redacted]`;
      kept = end;
      start = from;
    }
    end = Math.max(end, to);
  }
  return `${out}${text.slice(kept, start)}[redacted]${text.slice(end)}`;
}

/** `text` cut to `max` characters (an ellipsis says it was). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

const IDENTIFIER = /^[A-Za-z0-9_.:\-[\]]{1,128}$/;

/**
 * An identifier from outside (an upstream's error code, type or param, its x-request-id) fit to
 * relay or log: a short run of letters, digits and `_.:-[]` holding no piece of a secret; else null.
 */
export function safeIdentifier(value: unknown, secrets: readonly string[]): string | null {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) return null;
  return redact(value, secrets) === value ? value : null;
}

/** One line for the operator's log: the error and its causes, outermost first, secrets redacted. */
export function describeWithCauses(err: unknown, secrets: readonly string[]): string {
  const parts: string[] = [];
  let current: unknown = err;
  // Bounded: cause chains are short, but a cycle must not hang the log.
  for (let depth = 0; current !== undefined && current !== null && depth < 6; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const tag = !(current instanceof HttpError) && typeof code === 'string' && code ? ` [${code}]` : '';
      parts.push(truncate(`${current.name}${tag}: ${current.message}`, 1_000));
      current = current.cause;
    } else {
      parts.push(truncate(String(current), 1_000));
      current = undefined;
    }
  }
  return redact(parts.join(' ← ') || 'unknown error', secrets).replace(/\s+/g, ' ').slice(0, 2_000);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

/** Dollars for people: cents, or more digits when the amount is below a cent. */
export function formatUsd(micros: number): string {
  const usd = micros / 1e6;
  if (usd === 0 || Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${usd.toFixed(6).replace(/0+$/, '')}`;
}

function formatWait(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// ── The request itself ────────────────────────────────────────────────────────────────────────

export const invalidRequest = (message: string, param: string | null, code: string | null = 'invalid_value') =>
  new HttpError(400, message, { param, code });

export const unauthorized = () =>
  new HttpError(
    401,
    'Missing or invalid Framefill access token. Check the access token in the Framefill settings (it is sent as "Authorization: Bearer <token>").',
    { type: 'invalid_request_error', code: ERROR_CODES.invalidApiKey },
  );

export const notFound = (method: string, path: string) =>
  new HttpError(404, `Unknown request URL: ${method} ${path}. The Framefill backend serves POST /v1/images/generations, POST /v1/images/edits, GET /v1/models, GET /v1/models/{id}, GET /v1/usage, GET /v1/results/{id} and DELETE /v1/results/{id}.`, { code: 'unknown_url' });

/** GET /v1/models/{id} of a model this deployment does not offer (OpenAI's 404 for a model). */
export const modelNotFound = (id: string, offered: readonly string[]) =>
  new HttpError(404, `The model '${id}' does not exist or is not offered by this Framefill backend. It offers ${offered.map((m) => `'${m}'`).join(', ')}.`, {
    code: 'model_not_found',
    param: 'model',
  });

export const methodNotAllowed = (method: string, path: string, allowed: string[]) =>
  new HttpError(405, `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`, {
    code: 'method_not_allowed',
    headers: { allow: allowed.join(', ') },
  });

export const payloadTooLarge = (maxBytes: number) =>
  new HttpError(413, `The request body is larger than this backend accepts (${formatBytes(maxBytes)}). Send fewer or smaller reference images.`, {
    code: 'request_too_large',
  });

export const unsupportedContentType = (expected: string, got: string) =>
  new HttpError(415, `Send this request as ${expected} (Content-Type was ${got ? `'${got}'` : 'missing'}).`, {
    code: 'unsupported_content_type',
  });

export const emptyJsonBody = () => invalidRequest('The request body is empty; send a JSON object with at least a prompt.', null, 'invalid_json');

export const invalidJsonBody = (cause: unknown) =>
  new HttpError(400, 'The request body is not valid JSON. Check for trailing commas, unquoted names or a cut-off body.', { code: 'invalid_json', cause });

/** `why`: what is wrong with the body, e.g. "it was cut off". */
export const invalidMultipartBody = (why: string, cause?: unknown) =>
  new HttpError(400, `The multipart body could not be read: ${why}. Send the images and fields as multipart/form-data.`, {
    code: 'invalid_multipart',
    cause,
  });

export const promptTooLong = (chars: number) =>
  invalidRequest(
    `Invalid 'prompt': it has ${chars.toLocaleString('en-US')} characters; the maximum is ${MAX_PROMPT_CHARS.toLocaleString('en-US')}.`,
    'prompt',
    'string_above_max_length',
  );

/** The client closed the request before it finished (nobody is left to read the answer). */
export const clientGone = (cause?: unknown) => new HttpError(499, 'The client closed the request before it finished.', { code: 'client_closed_request', cause });

// ── Idempotent results ────────────────────────────────────────────────────────────────────────

export const invalidIdempotencyKey = (raw: string) =>
  invalidRequest(
    `The ${IDEMPOTENCY_HEADER} header must be 1-100 characters of letters, digits, '_', '.', ':' or '-' (got ${raw.length === 0 ? 'an empty value' : `${raw.length} characters`}).`,
    'Idempotency-Key',
    'invalid_idempotency_key',
  );

export const invalidResultId = () =>
  invalidRequest("The result id must be the request's Idempotency-Key: 1-100 letters, digits, '_', '.', ':' or '-'.", 'id');

export const keyReused = () =>
  new HttpError(409, `This ${IDEMPOTENCY_HEADER} was already used for a different request. Send a new key for a new request.`, {
    code: ERROR_CODES.idempotencyKeyReused,
    param: 'Idempotency-Key',
  });

export const stillRunning = (id: string) =>
  new HttpError(409, `The request with ${IDEMPOTENCY_HEADER} ${id} is still running. Fetch its result later from GET /v1/results/${id}.`, {
    code: ERROR_CODES.requestInProgress,
    param: 'Idempotency-Key',
  });

export const unknownResult = (id: string) =>
  new HttpError(404, `No result with id ${id}: it never existed for this token, failed, or expired.`, { code: 'not_found', param: 'id' });

/** GET /v1/results/{id}: its run's deadline passed with neither a result nor a failure recorded — the instance running it stopped. */
export const requestLost = (id: string) =>
  new HttpError(500, `The request with ${IDEMPOTENCY_HEADER} ${id} failed: the server running it stopped before it finished, and it was not charged. Send it again (same key) to run it again.`, {
    code: ERROR_CODES.requestLost,
    param: 'id',
  });

/** `status`: 409 for a repeated POST, 404 for GET /v1/results (it cannot be fetched). */
export const notRetained = (status: number) =>
  new HttpError(status, 'That request finished and was paid for, but this backend no longer keeps its images (too large to keep, or dropped to make room for newer results). Send a new request to generate again.', {
    code: ERROR_CODES.resultNotRetained,
  });

/** 499, not 409: SDKs retry a 409, and a retry under the same key would run the cancelled request again. */
export const requestCancelled = () =>
  new HttpError(499, 'The request was cancelled (DELETE /v1/results/{id}) before it finished; nothing more is charged for it.', { code: 'request_cancelled' });

// ── Overnight batches (issue 16) ──────────────────────────────────────────────────────────────

export const unknownBatch = (id: string) =>
  new HttpError(404, `No batch with id ${id}: it never existed for this token, or it expired.`, { code: 'not_found', param: 'id' });

/** POST /v1/framefill/batches with an Idempotency-Key whose first submission is still being made (uploads take a while). */
export const batchStillSubmitting = () =>
  new HttpError(409, `The batch with this ${IDEMPOTENCY_HEADER} is still being submitted. Send the same request again (same key) in a few seconds to get it.`, {
    code: ERROR_CODES.requestInProgress,
    param: 'Idempotency-Key',
    headers: { 'retry-after': '5' },
  });

export const batchItemTaken = (id: string, index: number) =>
  new HttpError(409, `Item id '${id}' already has a result or runs in another batch; use a new id.`, { code: 'duplicate_id', param: `items[${index}].id` });

/** A 400 about one item of a batch, its param named inside the batch (`items[3].size`). */
export const batchItemInvalid = (index: number, id: string, err: HttpError) =>
  new HttpError(400, `Item ${index + 1} ('${id}'): ${err.message}`, {
    type: err.type,
    code: err.code,
    param: `items[${index}]${err.param ? `.${err.param.replace(/^image$/, 'images')}` : ''}`,
    cause: err,
  });

// ── Limits ────────────────────────────────────────────────────────────────────────────────────

// The openai SDKs retry 429s by themselves; `x-should-retry: false` tells them not to bother
// with limits that last hours (a day's images, a month's budget).
const NO_RETRY = { 'x-should-retry': 'false' };

/** `wait`: whole seconds until the sliding window lets one more request in. */
export function rateLimitExceeded(name: string, rpm: number, wait: number): HttpError {
  return new HttpError(429, `Rate limit of ${rpm} request${rpm === 1 ? '' : 's'} per minute for '${name}' reached. Try again in ${wait} s.`, {
    type: 'requests',
    code: ERROR_CODES.rateLimitExceeded,
    headers: { 'retry-after': String(wait) },
  });
}

/** Too many requests or upload bytes in flight at once (`scope`: "for 'alice'" or "on this backend"). */
export const tooManyInFlight = (what: string, scope: string, wait: number) =>
  new HttpError(429, `Too many ${what} in flight ${scope}. Try again in ${wait} s, or send fewer requests at once.`, {
    type: 'requests',
    code: ERROR_CODES.rateLimitExceeded,
    headers: { 'retry-after': String(wait) },
  });

/** Repeated failed authentication from one client address. */
export const tooManyAuthFailures = (wait: number) =>
  new HttpError(429, `Too many requests with a wrong access token from this address. Try again in ${wait} s with the right token.`, {
    type: 'requests',
    code: 'too_many_auth_failures',
    headers: { 'retry-after': String(wait) },
  });

export function dailyImageLimit(name: string, limit: number, used: number, asked: number, now: number): HttpError {
  const wait = secondsUntil(now, nextUtcDayStart(now));
  const left = Math.max(0, limit - used);
  const message = left === 0
    ? `Daily limit of ${limit} images for '${name}' is used up. It resets at 00:00 UTC (in ${formatWait(wait)}).`
    : `This request asks for ${asked} images but only ${left} of the ${limit} daily images for '${name}' are left. Ask for fewer, or wait until 00:00 UTC (in ${formatWait(wait)}).`;
  return new HttpError(429, message, { type: 'images', code: ERROR_CODES.dailyImageLimit, headers: { 'retry-after': String(wait), ...NO_RETRY } });
}

export function budgetExceeded(name: string, budgetMicros: number, spentMicros: number, requestMaxMicros: number, now: number): HttpError {
  const wait = secondsUntil(now, nextUtcMonthStart(now));
  const spent = Math.max(0, spentMicros);
  const left = budgetMicros - spent;
  const message = left < budgetMicros * 0.01 || left <= 0
    ? `Monthly budget of ${formatUsd(budgetMicros)} for '${name}' is used up (${formatUsd(spent)} spent). It resets on ${describeMonthStart(now)} (UTC).`
    : `This request could cost up to ${formatUsd(requestMaxMicros)}, more than the ${formatUsd(left)} left of the ${formatUsd(budgetMicros)} monthly budget for '${name}' (${formatUsd(spent)} spent). Try a lower quality, a smaller size or fewer images, or wait until ${describeMonthStart(now)} (UTC).`;
  return new HttpError(402, message, { type: 'insufficient_quota', code: ERROR_CODES.budgetExceeded, headers: { 'retry-after': String(wait), ...NO_RETRY } });
}

// ── The backend's own failures ────────────────────────────────────────────────────────────────

export const storeUnavailable = (cause: StoreError) =>
  new HttpError(503, 'The Framefill backend cannot reach its usage store, so it cannot check budgets right now. Try again in a moment.', {
    type: 'server_error',
    code: ERROR_CODES.storeUnavailable,
    cause,
  });

/** A StoreError becomes the 503 callers can retry; anything else stays what it is (a 500 if unexpected). */
export function fromStoreFailure(err: unknown): unknown {
  return err instanceof StoreError ? storeUnavailable(err) : err;
}

export const internalError = (cause: unknown) =>
  new HttpError(500, 'The Framefill backend hit an unexpected error. Try again; if it keeps happening, tell whoever runs the backend.', {
    type: 'server_error',
    code: 'internal_error',
    cause,
  });

export const backendMisconfigured = (cause: unknown) =>
  new HttpError(500, 'The Framefill backend is not configured correctly; whoever runs it can see why in its logs.', {
    type: 'server_error',
    code: 'backend_misconfigured',
    cause,
  });

// ── OpenAI, upstream ──────────────────────────────────────────────────────────────────────────

export const upstreamTimeout = (timeoutMs: number, cause?: unknown) =>
  new HttpError(504, `OpenAI did not finish within ${Math.round(timeoutMs / 1000)} s, the limit this backend allows. Try again, or use a lower quality or smaller size.`, {
    type: 'upstream_error',
    code: ERROR_CODES.upstreamTimeout,
    cause,
  });

export const upstreamUnreachable = (cause?: unknown) =>
  new HttpError(502, 'The Framefill backend could not reach OpenAI (the connection failed or was reset). Try again in a moment.', {
    type: 'upstream_error',
    code: ERROR_CODES.upstreamUnreachable,
    cause,
  });

export const upstreamInvalidResponse = (cause?: unknown) =>
  new HttpError(502, 'OpenAI sent a response the Framefill backend could not read (not valid JSON or not an image response). Try again.', {
    type: 'upstream_error',
    code: 'upstream_invalid_response',
    cause,
  });

/** A success body past any valid answer for the request: not read further (memory bound). */
export const upstreamResponseTooLarge = (limitBytes: number) =>
  new HttpError(502, `OpenAI sent a response larger than the ${formatBytes(limitBytes)} this request's images can take; the Framefill backend stopped reading it. Try again.`, {
    type: 'upstream_error',
    code: 'upstream_response_too_large',
  });

/** The OpenAI key, not the caller's token, was refused: not the user's fault, and OpenAI's message shows part of the key. */
export const upstreamAuthFailed = (cause: unknown) =>
  new HttpError(502, 'OpenAI rejected the API key this Framefill backend is configured with. Tell whoever runs the backend to check OPENAI_API_KEY.', {
    type: 'upstream_error',
    code: 'upstream_auth_failed',
    cause,
  });

export const upstreamPermissionDenied = (message: string, cause: unknown) =>
  new HttpError(502, `OpenAI refused this backend's account: ${message}`, { type: 'upstream_error', code: 'upstream_permission_denied', cause });

export const upstreamStreamTruncated = (completed: number, n: number) =>
  new HttpError(502, `OpenAI's stream ended early: ${completed} of ${n} image${n === 1 ? '' : 's'} arrived. Try again.`, {
    type: 'upstream_error',
    code: 'upstream_stream_truncated',
  });

export const upstreamFailed = (cause: unknown) =>
  new HttpError(502, 'The call to OpenAI failed unexpectedly. Try again.', { type: 'upstream_error', code: 'upstream_error', cause });

/** OpenAI's own error (already scrubbed of secrets), passed on with its status, shape and retry headers. */
export const fromOpenAI = (status: number, message: string, init: Omit<ErrorInit, 'cause'>, cause: unknown) =>
  new HttpError(status, message, { ...init, cause });

// ── Requests Node refuses before the app runs (platform/node-protocol-errors.ts) ──────────────

export const requestHeadersTooLarge = () =>
  new HttpError(431, 'The request headers are larger than this backend accepts (16 KB in all). Send a shorter token or fewer headers.', {
    code: 'request_headers_too_large',
  });

export const chunkExtensionsTooLarge = () =>
  new HttpError(413, 'The chunk extensions of this request are larger than this backend accepts.', { code: 'request_too_large' });

export const requestTimeout = () => new HttpError(408, 'The request took too long to arrive. Send it again.', { code: 'request_timeout' });

export const invalidMethod = () =>
  new HttpError(400, 'The request method is not valid HTTP. The Framefill backend serves GET, POST, DELETE and OPTIONS (upper case).', {
    code: 'invalid_method',
  });

/** `reason`: Node's own wording of the parse error, printable ASCII only, never the request's bytes. */
export const invalidHttp = (reason: string) =>
  new HttpError(400, `The request is not valid HTTP/1.1${reason ? ` (${reason})` : ''}: check its framing (Content-Length, Transfer-Encoding) and headers.`, {
    code: 'invalid_http_request',
  });

export const missingHost = () =>
  new HttpError(400, 'The request has no Host header; HTTP/1.1 requires one.', { code: 'invalid_http_request', param: null });

export const badRequestTarget = () =>
  new HttpError(400, 'The request URL or Host header is not valid (e.g. a port above 65535, a space or an unclosed bracket in the host).', {
    code: 'invalid_http_request',
  });

export const unsupportedExpectation = (expect: string) =>
  new HttpError(417, `Unsupported Expect header '${expect.replace(/[^\x20-\x7e]/g, '').slice(0, 60)}'; only 'Expect: 100-continue' is supported. Send the request without it.`, {
    code: 'expectation_failed',
  });

export const connectNotAllowed = () =>
  new HttpError(405, 'CONNECT is not allowed: this is an API, not a proxy. The Framefill backend serves GET, POST, DELETE and OPTIONS.', {
    code: 'method_not_allowed',
    headers: { allow: 'GET, POST, DELETE, OPTIONS' },
  });
