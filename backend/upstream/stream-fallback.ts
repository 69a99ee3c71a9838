// A model OpenAI will not stream still answers a streamed request. Under the SDK's fetch (so one
// SDK attempt, never a retry: retrying-call.ts sees neither the refusal nor the repeat), a streamed
// image call answered 400 "does not stream" (stream-refusal.ts) is made once more without
// `stream`/`partial_images`, and its JSON answer handed back as the SSE stream that was asked for:
// one completed event per image, the call's `usage` on the last. The relay (image-call.ts) then
// treats it like any stream — charges from that usage, puts `framefill` on the last event, keeps
// the result — so the refused attempt costs nothing. Every other answer passes through untouched
// (the relay's normal path pays one status check).
//
// Generation bodies are JSON text and are rewritten here; edit bodies are one multipart Blob
// (edit-upload.ts), which registers how to build its non-stream twin (offerPlainBody) without
// copying the images again.
import { upstreamInvalidResponse } from '../errors';
import { largestImagesResponseBytes, readTextWithin } from './bounded-body';
import { SSE_HEADERS } from './sse';
import { completedEvents, eventPrefixOf, isStreamRefusal, jsonWithoutStreaming } from './stream-refusal';

/** How to repeat a streamed edit without streaming, and what bounds its answer. */
export interface PlainBlob {
  body: () => Blob;
  n: number;
  size: string | undefined;
}

const plainBlobs = new WeakMap<Blob, PlainBlob>();

/** Registers the non-stream twin of a streamed edit body (built only if the stream is refused). */
export function offerPlainBody(streamed: Blob, plain: PlainBlob): void {
  plainBlobs.set(streamed, plain);
}

interface PlainCall {
  body: string | Blob;
  n: number;
  size: string | undefined;
}

function plainCallOf(body: unknown): PlainCall | null {
  if (typeof body === 'string') return jsonWithoutStreaming(body);
  if (body instanceof Blob) {
    const plain = plainBlobs.get(body);
    return plain ? { body: plain.body(), n: plain.n, size: plain.size } : null;
  }
  return null;
}

function pathOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** A response whose body was already read, rebuilt for the SDK to read again. */
function again(response: Response, text: string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}

/** The answer's images as SSE, read within the bounds of the request and encoded one event at a time. */
function asStream(answer: Response, call: PlainCall, prefix: 'image_generation' | 'image_edit'): ReadableStream<Uint8Array> {
  let events: (() => Uint8Array)[] = [];
  return new ReadableStream<Uint8Array>({
    async start() {
      const text = await readTextWithin(answer, largestImagesResponseBytes(call.n, call.size));
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        throw upstreamInvalidResponse(err);
      }
      events = completedEvents(json, prefix) ?? [];
      if (events.length === 0) throw upstreamInvalidResponse();
    },
    pull(controller) {
      const event = events.shift(); // each image let go once sent
      if (event === undefined) controller.close();
      else controller.enqueue(event());
    },
  });
}

/** `inner`, with a streamed image call the upstream refuses to stream repeated without streaming (see above). */
export function streamFallback(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.status !== 400) return response;
    const prefix = eventPrefixOf(pathOf(input));
    if (prefix === null) return response;
    // An error body: at most 64 KB (client.ts caps it below this wrapper).
    const text = await response.text();
    const call = isStreamRefusal(response.status, text) ? plainCallOf(init?.body) : null;
    if (call === null) return again(response, text);
    const headers = new Headers(init?.headers);
    headers.delete('content-length');
    const answer = await inner(input, { ...init, body: call.body, headers });
    if (!answer.ok) return answer;
    const sse = new Headers(SSE_HEADERS);
    const id = answer.headers.get('x-request-id');
    if (id !== null) sse.set('x-request-id', id);
    return new Response(asStream(answer, call, prefix), { status: 200, headers: sse });
  };
}
