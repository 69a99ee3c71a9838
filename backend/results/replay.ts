// A stored result sent again: as the JSON body the first call returned, or — for a stream
// request — as a short SSE stream of completed events (no partials: the images are final).
import { COST_HEADER } from '../contract';
import { HttpError, jsonResponse } from '../errors';
import type { ImageRoute, StoredResult } from './retained-results';
import { SSE_HEADERS, sseEvent } from '../upstream/sse';

/** Response header marking an answer served from a stored result (no new call, no charge). */
export const REPLAYED_HEADER = 'idempotent-replayed';

export const notRetained = (status: number) =>
  new HttpError(status, 'That request finished and was paid for, but this backend no longer keeps its images (too large to keep, or dropped to make room for newer results). Send a new request to generate again.', {
    code: 'result_not_retained',
  });

/** The stored body; a result kept only as a marker is refused with `missingStatus`. */
function bodyOf(result: StoredResult, missingStatus: number): Record<string, unknown> {
  if (result.status !== 'succeeded' || !result.body) throw notRetained(missingStatus);
  return result.body;
}

/** `missingStatus`: 409 for a repeated POST, 404 for GET /v1/results (it cannot be fetched). */
export function replayJson(result: StoredResult, missingStatus = 409): Response {
  return jsonResponse(bodyOf(result, missingStatus), 200, { [COST_HEADER]: String(result.cost_usd), [REPLAYED_HEADER]: 'true' });
}

const COPIED = ['size', 'quality', 'background', 'output_format'] as const;

export function replayStream(result: StoredResult, route: ImageRoute): Response {
  const body = bodyOf(result, 409);
  const type = route === 'edits' ? 'image_edit.completed' : 'image_generation.completed';
  const data = Array.isArray(body.data) ? (body.data as Array<Record<string, unknown>>) : [];
  const common: Record<string, unknown> = { created_at: body.created };
  for (const field of COPIED) if (body[field] !== undefined) common[field] = body[field];
  const chunks = data.map((image, i) => {
    const last = i === data.length - 1;
    // The request's whole usage and cost go on the last event, as the live stream ends.
    const event = { type, b64_json: image.b64_json, ...common, ...(last ? { usage: body.usage, framefill: body.framefill } : {}) };
    return sseEvent(type, event);
  });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Response(stream, { status: 200, headers: { ...SSE_HEADERS, [COST_HEADER]: String(result.cost_usd), [REPLAYED_HEADER]: 'true' } });
}
