// One image call upstream, shared by generations and edits: deadline and client-abort wiring,
// then either the JSON response with its cost, or the SSE relay that forwards each upstream
// event as it arrives and puts the request's total cost on the final completed event. How the
// call ended is reported once through `ctx.finish` (accounting, stored result).
//
// Client disconnects: a request WITHOUT an Idempotency-Key is abandoned when its client goes
// away (nobody can ever collect the images, so stop paying for them). A request WITH one is
// `detached`: the call runs to the end and its result is stored, because the user is paying for
// it and the panel can fetch it from GET /v1/results/{id} after being closed or reloaded.
import { COST_HEADER, type FramefillBlock } from './contract';
import { CallControl } from './call-control';
import { HttpError, jsonResponse } from './errors';
import type { LogDetails } from './log';
import { costFromUsage, roundUsd, type ImageUsage } from './pricing';
import { SSE_HEADERS, sseComment, sseEvent } from './sse';
import { StreamCollector } from './stream-collector';
import { count, isObject } from './upstream-values';
import { upstreamError, upstreamInvalidResponse, type UpstreamErrorContext } from './upstream-errors';
import type { UsageTotals } from './usage-ledger';

/** What the SDK hands back from `.withResponse()`: the parsed body and OpenAI's request id. */
export interface UpstreamResult<T> {
  data: T;
  request_id: string | null;
}

export interface ImageCallContext {
  model: string;
  /** images requested */
  n: number;
  /** the backend's request id (x-request-id), echoed in `framefill` */
  requestId: string;
  clientSignal: AbortSignal | undefined;
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
  log: LogDetails;
  /** how often an idle stream gets a keep-alive comment */
  keepaliveMs: number;
}

export interface CallOutcome {
  /** what was delivered; null when nothing was */
  totals: UsageTotals | null;
  /** every image asked for arrived */
  succeeded: boolean;
  /** the complete non-stream body (`framefill` included), when succeeded and it was kept */
  body?: Record<string, unknown>;
}

export function usageTotals(usage: ImageUsage | undefined, images: number): UsageTotals {
  return {
    images,
    requests: 1,
    input_tokens: count(usage?.input_tokens),
    output_tokens: count(usage?.output_tokens),
    cost_usd: costFromUsage(usage),
  };
}

function errorContext(ctx: ImageCallContext, control: CallControl): UpstreamErrorContext {
  return { cause: control.cause, timeoutMs: ctx.timeoutMs, secrets: ctx.secrets };
}

async function safeFinish(ctx: ImageCallContext, outcome: CallOutcome): Promise<void> {
  try {
    await ctx.finish(outcome);
  } catch {
    // The user has paid for the images; losing an accounting row must not lose them.
    ctx.log.error = 'usage_record_failed';
  }
}

const clientSignalOf = (ctx: ImageCallContext) => (ctx.detached ? undefined : ctx.clientSignal);

/** Non-stream: await OpenAI's JSON, add `framefill` and the cost header, then finish. */
export async function runJsonCall(
  ctx: ImageCallContext,
  call: (signal: AbortSignal) => Promise<UpstreamResult<unknown>>,
): Promise<Response> {
  const control = new CallControl(clientSignalOf(ctx), ctx.timeoutMs);
  let result: UpstreamResult<unknown>;
  try {
    result = await call(control.signal);
  } catch (err) {
    throw upstreamError(err, errorContext(ctx, control));
  } finally {
    control.dispose();
  }
  ctx.log.upstream_request_id = result.request_id;
  const body = result.data;
  if (!isObject(body) || !Array.isArray(body.data)) throw upstreamInvalidResponse();
  const usage = isObject(body.usage) ? (body.usage as ImageUsage) : undefined;
  const totals = usageTotals(usage, body.data.length);
  ctx.log.cost_usd = totals.cost_usd;
  ctx.log.images = totals.images;
  const framefill: FramefillBlock = { cost_usd: totals.cost_usd, request_id: ctx.requestId, model: ctx.model };
  const full = { ...body, framefill };
  await safeFinish(ctx, { totals, succeeded: true, body: full });
  return jsonResponse(full, 200, { [COST_HEADER]: String(totals.cost_usd) });
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
export async function runStreamCall(
  ctx: ImageCallContext,
  call: (signal: AbortSignal) => Promise<UpstreamResult<AsyncIterable<unknown>>>,
): Promise<StreamCall> {
  const control = new CallControl(clientSignalOf(ctx), ctx.timeoutMs);
  let result: UpstreamResult<AsyncIterable<unknown>>;
  try {
    result = await call(control.signal);
  } catch (err) {
    control.dispose();
    throw upstreamError(err, errorContext(ctx, control));
  }
  ctx.log.upstream_request_id = result.request_id;

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let closed = false;
  let keepalive: ReturnType<typeof setInterval> | undefined;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (chunk: Uint8Array) => {
        if (closed) return;
        try {
          controller.enqueue(chunk);
        } catch {
          closed = true;
        }
      };
      keepalive = setInterval(() => write(sseComment('keepalive')), ctx.keepaliveMs);
      void relay(ctx, result.data, control, write).finally(() => {
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

const COMPLETED = /\.completed$/;

async function relay(
  ctx: ImageCallContext,
  events: AsyncIterable<unknown>,
  control: CallControl,
  write: (chunk: Uint8Array) => void,
): Promise<void> {
  let completed = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let cost = 0;
  let failure: HttpError | null = null;
  const collector = new StreamCollector(ctx.maxResultBytes, ctx.collect);
  const block = (): FramefillBlock => ({ cost_usd: cost, request_id: ctx.requestId, model: ctx.model });
  try {
    for await (const event of events) {
      if (!isObject(event) || typeof event.type !== 'string') continue;
      if (COMPLETED.test(event.type)) {
        // Each completed event carries the usage of its own image (openai-node's
        // Image*CompletedEvent.usage); the request's cost is their sum, announced on the last.
        completed++;
        const usage = isObject(event.usage) ? (event.usage as ImageUsage) : undefined;
        inputTokens += count(usage?.input_tokens);
        outputTokens += count(usage?.output_tokens);
        cost = roundUsd(cost + costFromUsage(usage));
        collector.add(event);
        write(sseEvent(event.type, completed >= ctx.n ? { ...event, framefill: block() } : event));
      } else {
        write(sseEvent(event.type, event));
      }
    }
    // The SDK ends iteration quietly when aborted; find out why.
    if (control.cause === 'timeout') failure = upstreamError(null, errorContext(ctx, control));
    else if (control.cause === null && completed < ctx.n) {
      failure = new HttpError(
        502,
        `OpenAI's stream ended early: ${completed} of ${ctx.n} image${ctx.n === 1 ? '' : 's'} arrived. Try again.`,
        { type: 'upstream_error', code: 'upstream_stream_truncated' },
      );
    }
  } catch (err) {
    failure = upstreamError(err, errorContext(ctx, control));
  }
  const totals: UsageTotals = { images: completed, requests: 1, input_tokens: inputTokens, output_tokens: outputTokens, cost_usd: cost };
  ctx.log.cost_usd = cost;
  ctx.log.images = completed;
  const succeeded = failure === null && control.cause === null && completed >= ctx.n;
  // Images that arrived were paid for, even if the stream failed afterwards.
  const body = succeeded ? collector.body(totals, block()) : undefined;
  await safeFinish(ctx, { totals: completed > 0 ? totals : null, succeeded, ...(body ? { body } : {}) });
  if (control.cause === 'client_gone') {
    ctx.log.error = 'client_closed_request';
    return;
  }
  if (failure) {
    ctx.log.error = failure.code ?? failure.type;
    write(sseEvent('error', { type: 'error', error: failure.body().error, ...(completed > 0 ? { framefill: block() } : {}) }));
  }
}
