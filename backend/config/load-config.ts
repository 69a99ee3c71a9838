// Environment → typed backend configuration. Pure (takes the env as a plain object) so every
// platform entry (Node, Workers, Vercel) feeds it its own env and tests feed it literals.
//
// Environment variables:
//   OPENAI_API_KEY                 required. The OpenAI key; it only ever goes upstream.
//   OPENAI_BASE_URL                optional upstream base URL incl. /v1 (default: OpenAI's). Tests
//                                  point it at the fake OpenAI server.
//   FRAMEFILL_TOKENS               comma-separated `name:secret` pairs: the client access tokens the
//                                  backend accepts. `name` identifies the caller in logs and usage;
//                                  the secret is what the panel sends as `Authorization: Bearer`.
//                                  Malformed → refuse to start. Empty → start, but every request
//                                  is refused (with a warning at start-up).
//   FRAMEFILL_MODEL                model used when a request names none (default gpt-image-2). One of
//                                  the catalog (backend/models.ts: gpt-image-2, gpt-image-2.5-flare,
//                                  gpt-image-2.5-sunburst) or a dated snapshot of one; else refuse to start.
//   FRAMEFILL_ALLOWED_MODELS       comma list of models a client may ask for (default: FRAMEFILL_MODEL);
//                                  catalog ids or snapshots. A model allowed also allows its snapshots.
//   FRAMEFILL_XHIGH_USD_PER_IMAGE  ceiling in USD per 1024×1024 image for quality xhigh, which OpenAI
//                                  publishes no price for (default 0.45): what reservations hold and
//                                  estimates show until learned (accounting/learned-output.ts). Positive decimal.
//   FRAMEFILL_MAX_USD_PER_IMAGE    the same for quality max (default 0.90).
//   FRAMEFILL_MODERATION           optional pin, `auto` or `low`: sent upstream on every generation
//                                  (OpenAI's edits take no moderation); a request asking for the other
//                                  value is refused (400, param moderation). Unset: the client decides.
//   FRAMEFILL_USER_ID_SECRET       optional key of the end-user ids sent to OpenAI as `user` (HMAC of
//                                  the token's name; http/end-user-id.ts). Default: derived from
//                                  OPENAI_API_KEY. Changing it changes every id OpenAI sees.
//   PORT                           Node entry only (default 8787).
//   HOST                           Node entry only (default 127.0.0.1: local-only unless told otherwise).
//   FRAMEFILL_SHUTDOWN_GRACE_MS    Node entry only: on SIGTERM, how long requests in flight may go on
//                                  before they are cut (default 10000; 0 cuts at once). Set it a few
//                                  seconds below the platform's kill timeout (Kubernetes' 30 s, Cloud
//                                  Run's 10 s, …): after it the instance settles every open reservation,
//                                  which must finish before the platform's SIGKILL.
//   FRAMEFILL_UPSTREAM_TIMEOUT_MS  longest a request may wait on OpenAI, retries and streaming
//                                  included (default 300000: high quality takes minutes).
//   FRAMEFILL_UPSTREAM_RETRIES     retries on 408/409/429/5xx/connection errors (default 2), by the
//                                  backend's own loop (upstream/retrying-call.ts). A Retry-After is
//                                  waited out when it is at most 60 s and ends at least 1 s before the
//                                  deadline; a longer one goes to the client at once as 429 (503 for
//                                  server errors) with Retry-After. Streams are retried only before they start.
//   FRAMEFILL_MAX_IMAGE_BYTES      largest accepted reference image or mask, per file (default 10 MB).
//   FRAMEFILL_MAX_REQUEST_BYTES    largest accepted request body (default 25 MB). Note: Vercel caps
//                                  request bodies near 4.5 MB whatever this says; AWS Lambda at 6 MB.
//   FRAMEFILL_LOG_PROMPTS          `1` to include prompts in the request log (default: never).
//   FRAMEFILL_RATE_LIMIT_RPM       requests per minute per token (default 60; `none` = no limit).
//   FRAMEFILL_DAILY_IMAGES         images per UTC day per token (default 500; `none` = no limit).
//   FRAMEFILL_MONTHLY_BUDGET_USD   USD per UTC month per token, e.g. 25 or 12.50 (default none =
//                                  no budget). Each request reserves its maximum possible cost
//                                  before it runs and is settled at its actual cost afterwards.
//   FRAMEFILL_LIMITS               per-token overrides of the three above:
//                                  `alice:rpm=10;images=100;budget=25,bob:budget=5` (keys rpm,
//                                  images, budget; values a positive number or none). 0 is refused
//                                  everywhere: say none for no limit, or remove the token. Details: limits.ts.
//   FRAMEFILL_RESULT_TTL_SECONDS   how long a finished result is kept for repeats of its
//                                  Idempotency-Key and GET /v1/results/{id} (default 3600, 60-604800).
//   FRAMEFILL_MAX_RESULT_BYTES     results larger than this are not kept, only a marker that they
//                                  were delivered (default 64 MB; 0 keeps none). Mind the store:
//                                  Upstash caps request sizes by plan; a refused write keeps the marker.
//   FRAMEFILL_MEMORY_RESULT_BYTES  with the in-memory store (FRAMEFILL_STORE=memory, the default):
//                                  the most result bytes kept in memory at once (default 64 MB; 0 keeps
//                                  none). Beyond it the oldest results are dropped first, each leaving a
//                                  small marker so a repeat of its key is refused (409), never charged
//                                  again. Counters (budgets, limits) are never dropped. Redis/Upstash:
//                                  not used (bound their memory with their own maxmemory policy).
//   FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN  the same cap for one token's results (default half of
//                                  FRAMEFILL_MEMORY_RESULT_BYTES), so one token cannot push everyone
//                                  else's results out; beyond it that token's oldest go first. A
//                                  single-instance deployment keeps at most the instance cap of results
//                                  in memory, whoever asks; a single-token one, half of it.
//   FRAMEFILL_RESULT_SPILL_BYTES   with the in-memory store on Node: results pushed out of memory by
//                                  the caps above are written to a private temp directory instead of
//                                  dropped, up to this many bytes (default 2 GiB; 0 drops them as
//                                  before), oldest dropped first beyond it. Overnight images live
//                                  nowhere else once their batch's files are deleted at OpenAI.
//   FRAMEFILL_RESULT_SPILL_DIR     where that directory is made (default: the OS temp directory);
//                                  it is removed when the server stops.
//
//   Intake: what a request may hold before any limit has seen its body (one instance's figures;
//   each instance counts its own). Beyond a cap the request is refused with 429 and Retry-After,
//   its body drained unread, never parsed:
//   FRAMEFILL_MAX_INFLIGHT_REQUESTS            requests handled at once (default 512; streams count
//                                              until they end).
//   FRAMEFILL_MAX_INFLIGHT_REQUESTS_PER_TOKEN  the same for one token (default 256).
//   FRAMEFILL_MAX_INFLIGHT_BODY_BYTES          request bodies held at once (default 6 × FRAMEFILL_MAX_REQUEST_BYTES
//                                              = 150 MB). A declared Content-Length counts in full as
//                                              the request arrives; a chunked body counts as it streams in.
//   FRAMEFILL_MAX_INFLIGHT_BODY_BYTES_PER_TOKEN  the same for one token (default 2 × FRAMEFILL_MAX_REQUEST_BYTES = 50 MB).
//   FRAMEFILL_HEADERS_TIMEOUT_MS   longest the request line and headers may take to arrive (default 20000).
//   FRAMEFILL_BODY_TIMEOUT_MS      longest a whole request, body included, may take to arrive (default
//                                  120000: 25 MB at ~2 Mbit/s); slower ones are cut (408) and their memory freed.
//   FRAMEFILL_AUTH_FAILURES_PER_MINUTE  wrong access tokens accepted per client address per minute
//                                  (sliding window, counted in the store so instances agree; default 20);
//                                  beyond it that address gets 429 with Retry-After until it slows down.
//                                  The address is the TCP peer on Node (behind a proxy: the proxy's),
//                                  the platform's client-IP header on Workers and Vercel.
//   Where counters and results live (memory, Redis, Upstash): FRAMEFILL_STORE, see store/from-env.ts.
import * as z from 'zod';
import { ConfigError } from '../errors';
import { DEFAULT_MODEL_ID, findModel, MODELS } from '../models';
import { DEFAULT_CEILING_USD_1024, type UnpublishedTier } from '../pricing';
import { loadLimits, type LimitsConfig } from './limits';
import { DEFAULT_MAX_EVICTABLE_BYTES, DEFAULT_MAX_SPILL_BYTES, defaultGroupCap } from '../store/memory-store';

export interface AccessToken {
  /** shown in logs and usage; never secret */
  name: string;
  secret: string;
}

export interface BackendConfig {
  openaiApiKey: string;
  /** undefined → the SDK's default (https://api.openai.com/v1) */
  openaiBaseUrl: string | undefined;
  tokens: AccessToken[];
  model: string;
  allowedModels: string[];
  port: number;
  host: string;
  /** Node entry: how long requests in flight may run on after SIGTERM; absent → DEFAULT_SHUTDOWN_GRACE_MS */
  shutdownGraceMs?: number;
  upstreamTimeoutMs: number;
  upstreamRetries: number;
  maxImageBytes: number;
  maxRequestBytes: number;
  logPrompts: boolean;
  /** per-token requests/minute, images/day and monthly budget */
  limits: LimitsConfig;
  resultTtlSeconds: number;
  maxResultBytes: number;
  /** the in-memory store's cap on the results it holds (FRAMEFILL_MEMORY_RESULT_BYTES) */
  memoryResultBytes: number;
  /** the same per token (FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN); absent (hand-built configs) → no cap of its own */
  memoryResultBytesPerToken?: number;
  /** the in-memory store's spill area on Node (FRAMEFILL_RESULT_SPILL_BYTES/_DIR); absent or 0 bytes → none */
  resultSpill?: { bytes: number; dir?: string };
  /** caps and timeouts on what requests hold before the limits see their bodies; absent → intakeDefaults() */
  intake?: IntakeConfig;
  /** USD per 1024² image of the unpublished tiers (FRAMEFILL_XHIGH/MAX_USD_PER_IMAGE); absent → DEFAULT_CEILING_USD_1024 */
  ceilings?: Readonly<Record<UnpublishedTier, number>>;
  /** FRAMEFILL_MODERATION: the value every generation is sent with; absent → the client's */
  moderation?: Moderation;
  /** FRAMEFILL_USER_ID_SECRET: key of the end-user ids; absent → derived from the OpenAI key */
  userIdSecret?: string;
  /** overnight batches (issue 16); absent (hand-built configs) → batchDefaults() */
  batch?: BatchConfig;
}

// ── Overnight batches (issue 16) ──────────────────────────────────────────────────────────────

export interface BatchConfig {
  /** FRAMEFILL_BATCH_DISCOUNT: batch price = synchronous price × this (OpenAI bills batch work at about half) */
  discount: number;
  /** FRAMEFILL_BATCH_RESULT_TTL_SECONDS: how long a finished batch and its items' results are kept (at least 7 days) */
  resultTtlSeconds: number;
  /** FRAMEFILL_BATCH_POLL_SECONDS: how often the Node server advances open batches */
  pollSeconds: number;
  /** FRAMEFILL_BATCH_MAX_ITEMS: items one batch may hold */
  maxItems: number;
}

export const DEFAULT_BATCH_DISCOUNT = 0.5;
export const MIN_BATCH_RESULT_TTL_SECONDS = 7 * 86_400;

export function batchDefaults(): BatchConfig {
  return { discount: DEFAULT_BATCH_DISCOUNT, resultTtlSeconds: MIN_BATCH_RESULT_TTL_SECONDS, pollSeconds: 60, maxItems: 500 };
}

function loadBatch(env: Env): BatchConfig {
  const d = batchDefaults();
  const raw = env.FRAMEFILL_BATCH_DISCOUNT?.trim();
  let discount = d.discount;
  if (raw !== undefined && raw !== '') {
    discount = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(discount > 0) || discount > 1) {
      throw new ConfigError(`FRAMEFILL_BATCH_DISCOUNT must be a fraction above 0 and at most 1, such as 0.5 for half price (got "${raw}").`);
    }
  }
  return {
    discount,
    resultTtlSeconds: intVar(env, 'FRAMEFILL_BATCH_RESULT_TTL_SECONDS', d.resultTtlSeconds, MIN_BATCH_RESULT_TTL_SECONDS, 90 * 86_400),
    pollSeconds: intVar(env, 'FRAMEFILL_BATCH_POLL_SECONDS', d.pollSeconds, 1, 86_400),
    maxItems: intVar(env, 'FRAMEFILL_BATCH_MAX_ITEMS', d.maxItems, 1, 50_000),
  };
}

export const MODERATION_VALUES = ['auto', 'low'] as const;
export type Moderation = (typeof MODERATION_VALUES)[number];

export interface IntakeConfig {
  /** requests handled at once by this instance (streams until they end) */
  maxInFlightRequests: number;
  maxInFlightRequestsPerToken: number;
  /** request-body bytes held at once by this instance (declared Content-Length up front, chunked as received) */
  maxInFlightBodyBytes: number;
  maxInFlightBodyBytesPerToken: number;
  /** request line and headers must arrive within this */
  headersTimeoutMs: number;
  /** the whole request, body included, must arrive within this */
  bodyTimeoutMs: number;
  /** failed authentications per client address per minute before 429 */
  authFailuresPerMinute: number;
}

export const DEFAULT_MODEL: string = DEFAULT_MODEL_ID;
/** Largest ceiling accepted (USD per 1024² image): a typo such as 450 would reserve every budget away. */
export const MAX_CEILING_USD = 100;
export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 300_000;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const DEFAULT_UPSTREAM_RETRIES = 2;
export const DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_REQUEST_BYTES = 25 * 1024 * 1024;
export const DEFAULT_RESULT_TTL_SECONDS = 3_600;
export const DEFAULT_MAX_RESULT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MEMORY_RESULT_BYTES = DEFAULT_MAX_EVICTABLE_BYTES;
export const DEFAULT_MAX_INFLIGHT_REQUESTS = 512;
export const DEFAULT_MAX_INFLIGHT_REQUESTS_PER_TOKEN = 256;
export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_BODY_TIMEOUT_MS = 120_000;
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;

/** The intake caps for a request limit (FRAMEFILL_MAX_REQUEST_BYTES): room for a few bodies of the largest size. */
export function intakeDefaults(maxRequestBytes: number): IntakeConfig {
  return {
    maxInFlightRequests: DEFAULT_MAX_INFLIGHT_REQUESTS,
    maxInFlightRequestsPerToken: DEFAULT_MAX_INFLIGHT_REQUESTS_PER_TOKEN,
    maxInFlightBodyBytes: 6 * maxRequestBytes,
    maxInFlightBodyBytesPerToken: 2 * maxRequestBytes,
    headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS,
    authFailuresPerMinute: DEFAULT_AUTH_FAILURES_PER_MINUTE,
  };
}

/** Secrets shorter than this are accepted with a warning: easy to guess. */
export const RECOMMENDED_SECRET_CHARS = 16;


export type Env = Record<string, string | undefined>;

export interface LoadedConfig {
  config: BackendConfig;
  /** things worth telling the operator at start-up that do not stop it */
  warnings: string[];
}

const TOKEN_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Every string that must never reach a client or a log: the OpenAI key and the access secrets. */
export function secretsOf(config: Pick<BackendConfig, 'openaiApiKey' | 'tokens'>): string[] {
  return [config.openaiApiKey, ...config.tokens.map((t) => t.secret)];
}

/** Parses FRAMEFILL_TOKENS. Throws ConfigError naming the bad entry (by position, never its secret). */
export function parseTokens(raw: string | undefined): AccessToken[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const tokens: AccessToken[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const where = `FRAMEFILL_TOKENS entry ${i + 1}`;
    if (colon < 0) throw new ConfigError(`${where} is not a name:secret pair.`);
    const name = entry.slice(0, colon).trim();
    const secret = entry.slice(colon + 1).trim();
    if (!TOKEN_NAME.test(name)) {
      throw new ConfigError(`${where} has an invalid name: use 1-64 letters, digits, '.', '_', '@' or '-'.`);
    }
    if (secret.length === 0) throw new ConfigError(`${where} (${name}) has an empty secret.`);
    if (/\s/.test(secret)) throw new ConfigError(`${where} (${name}) has whitespace in its secret.`);
    if (tokens.some((t) => t.name === name)) throw new ConfigError(`${where}: the name ${name} is used twice.`);
    if (tokens.some((t) => t.secret === secret)) throw new ConfigError(`${where} (${name}) reuses another token's secret.`);
    tokens.push({ name, secret });
  });
  return tokens;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const parsed = z.coerce.number().int().min(min).max(max).safeParse(raw);
  if (!/^\d+$/.test(raw) || !parsed.success) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${raw}").`);
  }
  return parsed.data;
}

/** A model id of the catalog or a dated snapshot of one, as written; else ConfigError naming what is known. */
function catalogModel(name: string, id: string): string {
  if (findModel(id)) return id;
  const known = MODELS.flatMap((m) => [m.id, ...m.snapshots]);
  throw new ConfigError(`${name}: unknown model "${id}". Framefill knows ${known.join(', ')}.`);
}

/** A positive USD amount such as 0.45 (at most MAX_CEILING_USD). */
function usdVar(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(value > 0) || value > MAX_CEILING_USD) {
    throw new ConfigError(`${name} must be a positive amount in USD per 1024×1024 image, at most ${MAX_CEILING_USD}, such as 0.45 (got "${raw}").`);
  }
  return value;
}

function urlVar(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const parsed = z.url({ protocol: /^https?$/ }).safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${name} must be an http(s) URL (got "${raw}").`);
  return raw.replace(/\/+$/, '');
}

/** Reads the configuration from an env object. Throws ConfigError with a one-line explanation. */
export function loadConfig(env: Env): LoadedConfig {
  const warnings: string[] = [];
  const openaiApiKey = env.OPENAI_API_KEY?.trim() ?? '';
  if (!openaiApiKey) {
    throw new ConfigError('OPENAI_API_KEY is not set: the backend needs an OpenAI API key to call gpt-image-2 on your behalf.');
  }
  const tokens = parseTokens(env.FRAMEFILL_TOKENS);
  if (tokens.length === 0) {
    warnings.push('FRAMEFILL_TOKENS is empty: every request will be refused with 401 until you add name:secret pairs.');
  }
  for (const t of tokens) {
    if (t.secret.length < RECOMMENDED_SECRET_CHARS) {
      warnings.push(`The secret of token ${t.name} is shorter than ${RECOMMENDED_SECRET_CHARS} characters; use a long random one.`);
    }
  }
  const model = catalogModel('FRAMEFILL_MODEL', env.FRAMEFILL_MODEL?.trim() || DEFAULT_MODEL);
  const allowed = list(env.FRAMEFILL_ALLOWED_MODELS).map((id) => catalogModel('FRAMEFILL_ALLOWED_MODELS', id));
  const allowedModels = allowed.length > 0 ? [...new Set(allowed)] : [model];
  if (!allowedModels.includes(model)) {
    throw new ConfigError(`FRAMEFILL_MODEL (${model}) must be one of FRAMEFILL_ALLOWED_MODELS (${allowedModels.join(', ')}).`);
  }
  const moderationRaw = env.FRAMEFILL_MODERATION?.trim() ?? '';
  if (moderationRaw !== '' && !(MODERATION_VALUES as readonly string[]).includes(moderationRaw)) {
    throw new ConfigError(`FRAMEFILL_MODERATION must be auto or low, or unset (got "${moderationRaw}").`);
  }
  const userIdSecret = env.FRAMEFILL_USER_ID_SECRET?.trim() ?? '';
  const logPromptsRaw = env.FRAMEFILL_LOG_PROMPTS?.trim() ?? '';
  if (!['', '0', '1'].includes(logPromptsRaw)) {
    throw new ConfigError(`FRAMEFILL_LOG_PROMPTS must be 1 or 0 (got "${logPromptsRaw}").`);
  }
  const config: BackendConfig = {
    openaiApiKey,
    openaiBaseUrl: urlVar(env, 'OPENAI_BASE_URL'),
    tokens,
    model,
    allowedModels,
    port: intVar(env, 'PORT', DEFAULT_PORT, 0, 65_535),
    host: env.HOST?.trim() || DEFAULT_HOST,
    shutdownGraceMs: intVar(env, 'FRAMEFILL_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 3_600_000),
    upstreamTimeoutMs: intVar(env, 'FRAMEFILL_UPSTREAM_TIMEOUT_MS', DEFAULT_UPSTREAM_TIMEOUT_MS, 1, 3_600_000),
    upstreamRetries: intVar(env, 'FRAMEFILL_UPSTREAM_RETRIES', DEFAULT_UPSTREAM_RETRIES, 0, 10),
    maxImageBytes: intVar(env, 'FRAMEFILL_MAX_IMAGE_BYTES', DEFAULT_MAX_IMAGE_BYTES, 1, 1024 * 1024 * 1024),
    maxRequestBytes: intVar(env, 'FRAMEFILL_MAX_REQUEST_BYTES', DEFAULT_MAX_REQUEST_BYTES, 1, 1024 * 1024 * 1024),
    logPrompts: logPromptsRaw === '1',
    limits: loadLimits(env, tokens.map((t) => t.name)),
    resultTtlSeconds: intVar(env, 'FRAMEFILL_RESULT_TTL_SECONDS', DEFAULT_RESULT_TTL_SECONDS, 60, 604_800),
    maxResultBytes: intVar(env, 'FRAMEFILL_MAX_RESULT_BYTES', DEFAULT_MAX_RESULT_BYTES, 0, 1024 * 1024 * 1024),
    memoryResultBytes: intVar(env, 'FRAMEFILL_MEMORY_RESULT_BYTES', DEFAULT_MEMORY_RESULT_BYTES, 0, 16 * 1024 * 1024 * 1024),
    ceilings: {
      xhigh: usdVar(env, 'FRAMEFILL_XHIGH_USD_PER_IMAGE', DEFAULT_CEILING_USD_1024.xhigh),
      max: usdVar(env, 'FRAMEFILL_MAX_USD_PER_IMAGE', DEFAULT_CEILING_USD_1024.max),
    },
    ...(moderationRaw !== '' ? { moderation: moderationRaw as Moderation } : {}),
    ...(userIdSecret !== '' ? { userIdSecret } : {}),
  };
  config.memoryResultBytesPerToken = intVar(env, 'FRAMEFILL_MEMORY_RESULT_BYTES_PER_TOKEN', defaultGroupCap(config.memoryResultBytes), 0, 16 * 1024 * 1024 * 1024);
  const spillDir = env.FRAMEFILL_RESULT_SPILL_DIR?.trim();
  config.resultSpill = { bytes: intVar(env, 'FRAMEFILL_RESULT_SPILL_BYTES', DEFAULT_MAX_SPILL_BYTES, 0, 1024 * 1024 * 1024 * 1024), ...(spillDir ? { dir: spillDir } : {}) };
  config.intake = loadIntake(env, config.maxRequestBytes, warnings);
  config.batch = loadBatch(env);
  if (config.maxImageBytes > config.maxRequestBytes) {
    warnings.push('FRAMEFILL_MAX_IMAGE_BYTES exceeds FRAMEFILL_MAX_REQUEST_BYTES; the request limit wins.');
  }
  return { config, warnings };
}

const GB = 1024 * 1024 * 1024;

function loadIntake(env: Env, maxRequestBytes: number, warnings: string[]): IntakeConfig {
  const d = intakeDefaults(maxRequestBytes);
  const intake: IntakeConfig = {
    maxInFlightRequests: intVar(env, 'FRAMEFILL_MAX_INFLIGHT_REQUESTS', d.maxInFlightRequests, 1, 1_000_000),
    maxInFlightRequestsPerToken: intVar(env, 'FRAMEFILL_MAX_INFLIGHT_REQUESTS_PER_TOKEN', d.maxInFlightRequestsPerToken, 1, 1_000_000),
    maxInFlightBodyBytes: intVar(env, 'FRAMEFILL_MAX_INFLIGHT_BODY_BYTES', d.maxInFlightBodyBytes, 1, 64 * GB),
    maxInFlightBodyBytesPerToken: intVar(env, 'FRAMEFILL_MAX_INFLIGHT_BODY_BYTES_PER_TOKEN', d.maxInFlightBodyBytesPerToken, 1, 64 * GB),
    headersTimeoutMs: intVar(env, 'FRAMEFILL_HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 1_000, 3_600_000),
    bodyTimeoutMs: intVar(env, 'FRAMEFILL_BODY_TIMEOUT_MS', d.bodyTimeoutMs, 1_000, 3_600_000),
    authFailuresPerMinute: intVar(env, 'FRAMEFILL_AUTH_FAILURES_PER_MINUTE', d.authFailuresPerMinute, 1, 1_000_000),
  };
  if (Math.min(intake.maxInFlightBodyBytes, intake.maxInFlightBodyBytesPerToken) < maxRequestBytes) {
    warnings.push('FRAMEFILL_MAX_INFLIGHT_BODY_BYTES(_PER_TOKEN) is below FRAMEFILL_MAX_REQUEST_BYTES: a request of the largest size will always be refused with 429.');
  }
  if (intake.headersTimeoutMs > intake.bodyTimeoutMs) {
    warnings.push('FRAMEFILL_HEADERS_TIMEOUT_MS exceeds FRAMEFILL_BODY_TIMEOUT_MS; the body timeout (the whole request) wins.');
    intake.headersTimeoutMs = intake.bodyTimeoutMs;
  }
  return intake;
}
