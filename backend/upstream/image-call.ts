// One image call upstream, shared by generations and edits: deadline and client-abort wiring,
// then either the JSON response with its cost, or the SSE relay that forwards each upstream
// event as it arrives and puts the request's total cost on the final completed event. How the
// call ended is reported once through `ctx.finish` (accounting, stored result).
//
// The SDK makes each attempt (auth, timeouts, error statuses → APIError; retries are ours:
// retrying-call.ts, so no wait outlives the request's deadline) and hands back the
// raw response (`.asResponse()`); its body is read here. A JSON body is parsed with its images
// cut out (json-images.ts: they stay the bytes that arrived, for the reply and the stored result)
// and `framefill` spliced into OpenAI's bytes rather than re-serialising them; a stream's events
// are split by byte scanning and relayed as the bytes received — a partial image is never
// decoded, parsed or copied (sse-splitter.ts, events.ts). Every image is
// ~0.5–20 MB of base64, so each avoided copy shows in memory and latency under load.
//
// Client disconnects: a request WITHOUT an Idempotency-Key is abandoned when its client goes
// away (nobody can ever collect the images, so stop paying for them). A request WITH one is
// `detached`: the call runs to the end and its result is stored, because the user is paying for
// it and the panel can fetch it from GET /v1/results/{id} after being closed or reloaded.
// Only an explicit cancel (DELETE /v1/results/{id}, `cancelSignal`) stops a detached call.
//
// Charges (charge.ts): what was delivered, at upstream's `usage` bounded between the published
// price of the delivered images and the request's reservation; a stream cut by its client pays
// for the partials it forwarded; a non-stream call abandoned after it went upstream pays the
// documented minimum (pricing.abandonedCallTokens). An upstream's bad account is logged.
import OpenAI from 'openai';
import { COST_HEADER, type FramefillBlock } from '../contract';
import { CallControl } from './call-control';
import { type HttpError, upstreamInvalidResponse, upstreamStreamTruncated } from '../errors';
import type { ImageUsage } from '../pricing';
import { readBytesWithin, largestImagesResponseBytes } from './bounded-body';
import { joinWith, readImagesJson, type ImagesJson } from './json-images';
import { abandonedCharge, addUsage, chargeFor, NO_USAGE, type ChargeBasis, type Delivered } from './charge';
import { SSE_HEADERS, sseComment, sseEvent } from './sse';
import { forWriting, SseSplitter, type RawSseEvent } from './sse-splitter';
import { StreamCollector } from './stream-collector';
import { isPartialImage, readUpstreamEvent } from './events';
import { isObject } from './values';
import { upstreamError, type UpstreamErrorContext } from './to-http-error';
import type { UsageTotals } from '../accounting/usage-ledger';

/**
 * The upstream call, made by the SDK, its body not yet read: `.asResponse()` on the SDK's call.
 * It settles once OpenAI answered 2xx (after retrying-call.ts's retries); errors are the SDK's.
 */
export type UpstreamCall = (signal: AbortSignal) => Promise<Response>;

/** Largest upstream event accepted: a 3840×2160 PNG is ~30 MB of base64 at worst. */
const MAX_EVENT_BYTES = 64 * 1024 * 1024;

const encoder = new TextEncoder();

/** What the call tells the request's log line as it learns it (a subset of http's LogDetails). */
export interface CallLog {
  upstream_request_id?: string | null;
  cost_usd?: number;
  images?: number;
  error?: string | null;
}

export interface ImageCallContext {
  model: string;
  /** images requested */
  n: number;
  /** what the request asked for and reserved: the bounds of its charge (charge.ts) */
  charge: ChargeBasis;
  /** the backend's request id (x-request-id), echoed in `framefill` */
  requestId: string;
  clientSignal: AbortSignal | undefined;
  /** aborted by DELETE /v1/results/{id} (idempotent requests only) */
  cancelSignal?: AbortSignal;
  timeoutMs: number;
  /** strings that must never reach the client (OpenAI key, access secrets) */
  secrets: readonly string[];
  /** called once when the call is over; must not throw */
  finish: (outcome: CallOutcome) => Promise<void>;
  /** keep going (and keep the result) when the client disconnects: see the header comment */
  detached: boolean;
  /** a stream builds the full response body for `finish` (idempotent requests only) */
  collect: boolean;
  /** a collected stream body larger than this is dropped (memory bound) */
  maxResultBytes: number;
  /** the request's log details, filled in as the call proceeds */
  log: CallLog;
  /** how often an idle stream gets a keep-alive comment */
  keepaliveMs: number;
  /** logs a server-side failure with its causes (5xx; with `what`, any failure worth the operator's eye) */
  logServerError: (err: unknown, what?: string) => void;
}

export interface CallOutcome {
  /** what was delivered; null when nothing was */
  totals: UsageTotals | null;
  /** every image asked for arrived */
  succeeded: boolean;
  /** the complete non-stream body (`framefill` included), when succeeded and it was kept */
  body?: Record<string, unknown>;
}

/** The charge of what was delivered; an upstream whose account was out of bounds is logged. */
function charged(ctx: ImageCallContext, delivered: Delivered): UsageTotals {
  const { totals, anomaly } = chargeFor(ctx.charge, delivered);
  if (anomaly !== null) ctx.logServerError(new Error(anomaly), 'upstream usage out of bounds, charge clamped');
  return totals;
}

function errorContext(ctx: ImageCallContext, control: CallControl): UpstreamErrorContext {
  return { cause: control.cause, timeoutMs: ctx.timeoutMs, secrets: ctx.secrets };
}

async function safeFinish(ctx: ImageCallContext, outcome: CallOutcome): Promise<void> {
  try {
    await ctx.finish(outcome);
  } catch (err) {
    // The user has paid for the images; losing an accounting row must not lose them.
    ctx.log.error = 'usage_record_failed';
    ctx.logServerError(err, 'usage not recorded');
  }
}

const clientSignalOf = (ctx: ImageCallContext) => (ctx.detached ? undefined : ctx.clientSignal);
const controlFor = (ctx: ImageCallContext) => new CallControl(clientSignalOf(ctx), ctx.timeoutMs, ctx.cancelSignal);

/** Non-stream: read OpenAI's JSON, add `framefill` and the cost header, then finish. */
export async function runJsonCall(ctx: ImageCallContext, call: UpstreamCall): Promise<Response> {
  const control = controlFor(ctx);
  // A client gone before the call was made sent nothing upstream; after that, OpenAI may be generating.
  const sent = !control.signal.aborted;
  let chunks: Uint8Array[];
  try {
    const response = await call(control.signal);
    ctx.log.upstream_request_id = response.headers.get('x-request-id');
    // Read under the same deadline and client-abort as the call itself, never past what a valid answer can be.
    chunks = await readBytesWithin(response, largestImagesResponseBytes(ctx.n, ctx.charge.size));
  } catch (err) {
    if (sent && control.cause === 'client_gone') await chargeAbandoned(ctx);
    throw upstreamError(err, errorContext(ctx, control));
  } finally {
    control.dispose();
  }
  let read: ImagesJson;
  try {
    read = readImagesJson(chunks);
  } catch (err) {
    throw upstreamInvalidResponse(err);
  }
  const { body, splice } = read;
  if (!isObject(body) || !Array.isArray(body.data)) throw upstreamInvalidResponse();
  const usage = isObject(body.usage) ? (body.usage as ImageUsage) : undefined;
  const totals = charged(ctx, { images: body.data.length, partials: 0, unfinishedPartials: 0, reported: addUsage(NO_USAGE, usage) });
  ctx.log.cost_usd = totals.cost_usd;
  ctx.log.images = totals.images;
  const framefill: FramefillBlock = { cost_usd: totals.cost_usd, request_id: ctx.requestId, model: ctx.model };
  const full = { ...body, framefill };
  await safeFinish(ctx, { totals, succeeded: true, body: full });
  // OpenAI's own bytes with `framefill` spliced in. A body already carrying one is rewritten
  // whole; it was parsed whole, so its images are text (json-images.ts cuts none out of it).
  const reply = !('framefill' in body) && splice ? joinWith(splice, `,"framefill":${JSON.stringify(framefill)}`) : JSON.stringify(full);
  return new Response(reply, {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', [COST_HEADER]: String(totals.cost_usd) },
  });
}

/** Nobody can collect the images, but OpenAI bills them: the documented minimum (charge.ts abandonedCharge). */
async function chargeAbandoned(ctx: ImageCallContext): Promise<void> {
  const totals = abandonedCharge(ctx.charge);
  ctx.log.cost_usd = totals.cost_usd;
  await safeFinish(ctx, { totals, succeeded: false });
}

export interface StreamCall {
  response: Response;
  /** settles when the stream has ended (for any reason) and usage is recorded */
  done: Promise<void>;
}

/**
 * Stream: the upstream request is made first, so errors before the first event (400, 429, …)
 * are ordinary JSON errors with their status. After that, every event is written as it
 * arrives; a failure ends the stream with OpenAI's `error` event, never silence.
 */
export async function runStreamCall(ctx: ImageCallContext, call: UpstreamCall): Promise<StreamCall> {
  const control = controlFor(ctx);
  let upstream: Response;
  try {
    upstream = await call(control.signal);
  } catch (err) {
    control.dispose();
    throw upstreamError(err, errorContext(ctx, control));
  }
  ctx.log.upstream_request_id = upstream.headers.get('x-request-id');

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let closed = false;
  let keepalive: ReturnType<typeof setInterval> | undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (chunk: Uint8Array): boolean => {
        if (closed) return false;
        try {
          controller.enqueue(chunk);
          return true;
        } catch {
          closed = true;
          return false;
        }
      };
      keepalive = setInterval(() => write(sseComment('keepalive')), ctx.keepaliveMs);
      void relay(ctx, upstream, control, write).finally(() => {
        clearInterval(keepalive);
        control.dispose();
        if (!closed) {
          closed = true;
          try {
            controller.close();
          } catch {
            // already cancelled by the client
          }
        }
        finish();
      });
    },
    cancel() {
      closed = true;
      clearInterval(keepalive);
      // The client went away: stop paying for a stream nobody reads — unless it is detached
      // (idempotent), then the relay runs on and stores the result for /v1/results.
      if (!ctx.detached) control.abort('client_gone');
    },
  });

  return { response: new Response(body, { status: 200, headers: { ...SSE_HEADERS } }), done };
}

/** Reads the upstream body as chunks; ends quietly when the call was aborted (the cause says why). */
async function* chunksOf(response: Response, control: CallControl): AsyncGenerator<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return;
  let finished = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        if (control.signal.aborted) return;
        throw err;
      }
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (an error event, [DONE], a failure): let go of the upstream connection.
    if (!finished) void reader.cancel().catch(() => {});
  }
}

async function relay(
  ctx: ImageCallContext,
  upstream: Response,
  control: CallControl,
  /** false when the client is gone: nothing was delivered */
  write: (chunk: Uint8Array) => boolean,
): Promise<void> {
  /** what reached the client so far, and the usage upstream reported with it */
  const delivered: Delivered = { images: 0, partials: 0, unfinishedPartials: 0, reported: NO_USAGE };
  let cost = 0;
  let failure: HttpError | null = null;
  const collector = new StreamCollector(ctx.maxResultBytes, ctx.collect);
  const block = (): FramefillBlock => ({ cost_usd: cost, request_id: ctx.requestId, model: ctx.model });
  const partialDelivered = () => {
    delivered.partials++;
    delivered.unfinishedPartials++;
  };
  const splitter = new SseSplitter(MAX_EVENT_BYTES);
  /** One upstream event, relayed; false once the stream is over ([DONE]). Throws on an upstream error. */
  const relayEvent = (raw: RawSseEvent): boolean => {
    const item = readUpstreamEvent(raw, collector.collecting);
    if (item.kind === 'forward') {
      let sent = false;
      for (const part of forWriting(raw.parts)) sent = write(part) || sent;
      if (sent && item.partial) partialDelivered();
    } else if (item.kind === 'completed') {
      // Each completed event carries the usage of its own image (openai-node's
      // Image*CompletedEvent.usage); the request's cost is their sum (bounded: charge.ts),
      // announced on the last. That usage covers the image's partials too.
      const usage = isObject(item.event.usage) ? (item.event.usage as ImageUsage) : undefined;
      delivered.images++;
      delivered.unfinishedPartials = 0;
      delivered.reported = addUsage(delivered.reported, usage);
      cost = chargeFor(ctx.charge, delivered).totals.cost_usd;
      if (collector.collecting) collector.add(item.event, item.image);
      const last = delivered.images >= ctx.n;
      if (item.splice === null) {
        write(sseEvent(item.type, last ? { ...item.event, framefill: block() } : item.event));
      } else {
        // As received; the last one with the request's cost spliced in before its closing brace.
        for (const part of forWriting(item.splice.before)) write(part);
        if (last) write(encoder.encode(`,"framefill":${JSON.stringify(block())}`));
        for (const part of forWriting(item.splice.after)) write(part);
      }
    } else if (item.kind === 'other') {
      if (write(sseEvent(item.type, item.event)) && isPartialImage(item.type)) partialDelivered();
    } else if (item.kind === 'error') {
      // The SDK's reading of an error payload, so upstreamError maps it the same way.
      throw new OpenAI.APIError(undefined, item.error as Record<string, unknown>, undefined, upstream.headers);
    } else if (item.kind === 'done') {
      return false;
    }
    return true;
  };
  try {
    // Nothing of an event outlives relayEvent: this loop, suspended at each read, holds only
    // the chunk just read.
    for await (const chunk of chunksOf(upstream, control)) if (!splitter.push(chunk, relayEvent)) break;
    // Reading ends quietly when aborted; find out why.
    if (control.cause === 'timeout' || control.cause === 'cancelled') failure = upstreamError(null, errorContext(ctx, control));
    else if (control.cause === null && delivered.images < ctx.n) {
      failure = upstreamStreamTruncated(delivered.images, ctx.n);
    }
  } catch (err) {
    failure = upstreamError(err, errorContext(ctx, control));
  }
  // Images and partials that arrived were paid for, even if the stream failed or was cut afterwards.
  const anything = delivered.images > 0 || delivered.partials > 0;
  const totals = charged(ctx, delivered);
  cost = totals.cost_usd;
  ctx.log.cost_usd = cost;
  ctx.log.images = delivered.images;
  const succeeded = failure === null && control.cause === null && delivered.images >= ctx.n;
  const body = succeeded ? collector.body(totals, block()) : undefined;
  await safeFinish(ctx, { totals: anything ? totals : null, succeeded, ...(body ? { body } : {}) });
  if (control.cause === 'client_gone') {
    ctx.log.error = 'client_closed_request';
    return;
  }
  if (failure) {
    ctx.log.error = failure.code ?? failure.type;
    ctx.logServerError(failure);
    write(sseEvent('error', { type: 'error', error: failure.body().error, ...(anything ? { framefill: block() } : {}) }));
  }
}
