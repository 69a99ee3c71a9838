// The upstream: OpenAI's official SDK, pointed at OpenAI or at any compatible server
// (OPENAI_BASE_URL; the tests' fake). It makes one attempt per call: retries are the backend's
// own (retrying-call.ts), since the SDK's sleep on a Retry-After can be neither bounded by the
// request's deadline nor interrupted. The SDK reads an error response's whole body into its
// message; through `errorBodiesCapped` it gets at most MAX_ERROR_BODY_BYTES of it. A streamed
// call to a model OpenAI will not stream is made again without streaming (stream-fallback.ts).
import OpenAI from 'openai';
import { streamFallback } from './stream-fallback';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface UpstreamOptions {
  apiKey: string;
  baseURL: string | undefined;
  timeoutMs: number;
  /** FRAMEFILL_UPSTREAM_RETRIES, for factories that want it; the official client makes no retries itself (see above) */
  maxRetries: number;
  fetch?: typeof fetch;
}

/**
 * The part of the SDK client the backend uses; tests may hand in any OpenAI instance. Edits go
 * through `post` with a body already assembled (edit-upload.ts), generations through `images`;
 * overnight batches through `files` and `batches` (batch-api.ts).
 */
export type UpstreamClient = Pick<OpenAI, 'images' | 'post' | 'files' | 'batches'>;
export type UpstreamFactory = (options: UpstreamOptions) => UpstreamClient;

export const createOpenAIClient: UpstreamFactory = (options) =>
  new OpenAI({
    apiKey: options.apiKey,
    // Explicit, so the SDK never falls back to an OPENAI_BASE_URL read behind our back.
    baseURL: options.baseURL ?? OPENAI_DEFAULT_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    // The SDK would otherwise print warnings (and unparsable stream chunks) to the console,
    // outside our one-JSON-line-per-request log.
    logLevel: 'off',
    fetch: streamFallback(errorBodiesCapped(options.fetch ?? ((input, init) => fetch(input, init)))),
  });

/** OpenAI's error bodies are a few hundred bytes; a larger one is cut here, not read whole. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The first `max` bytes of `body`; the rest is never read (the upstream connection is let go). */
function firstBytes(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let left = max;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await reader.read();
      if (next.done) return controller.close();
      if (next.value.byteLength < left) {
        left -= next.value.byteLength;
        return controller.enqueue(next.value);
      }
      controller.enqueue(next.value.subarray(0, left));
      controller.close();
      await reader.cancel().catch(() => {});
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** `inner`, with the body of every error response (4xx/5xx) cut to MAX_ERROR_BODY_BYTES. */
function errorBodiesCapped(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status < 400 || response.status > 599 || response.body === null) return response;
    return new Response(firstBytes(response.body, MAX_ERROR_BODY_BYTES), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/** Origin of the upstream, for the start-up line (never includes credentials). */
export function upstreamOrigin(baseURL: string | undefined): string {
  try {
    return new URL(baseURL ?? OPENAI_DEFAULT_BASE_URL).origin;
  } catch {
    return 'unknown';
  }
}
