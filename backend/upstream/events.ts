// What each event of OpenAI's image stream is, reading as little of it as that takes. Partial
// images are relayed as the bytes that arrived (never decoded or parsed); a completed event is
// parsed with its base64 image cut out (the usage and image fields are all the backend needs),
// the image itself kept as its bytes only when the result is being kept; errors, [DONE] and anything
// unusual are parsed whole, as the SDK would. Web-standard (no Buffer).
import { Base64Bytes } from './base64-bytes';
import { nextImageValue } from './json-images';
import { EventBytes, joinEvent, type RawSseEvent } from './sse-splitter';
import { isObject } from './values';

export type UpstreamEvent =
  /** relay the event's bytes unchanged; `partial`: it is a partial image (charged when delivered) */
  | { kind: 'forward'; partial: boolean }
  /** nothing to relay: a comment, a blank, data that is not an event object */
  | { kind: 'ignore' }
  /** `data: [DONE]`: the stream is over whatever follows */
  | { kind: 'done' }
  /** an error payload (`{"error":{…}}`): the upstream failed mid-stream */
  | { kind: 'error'; error: unknown }
  | CompletedEvent
  /** a well-formed event of another shape, relayed re-serialised under its `type` */
  | { kind: 'other'; type: string; event: Record<string, unknown> };

export interface CompletedEvent {
  kind: 'completed';
  type: string;
  /** the event's JSON; `b64_json` is '' when the image was cut out (see `image`) */
  event: Record<string, unknown>;
  /** the base64 image, when asked for (its bytes as received, or text from a whole-event parse); null otherwise */
  image: Base64Bytes | string | null;
  /**
   * The event as received, split where `,"framefill":…` can go (before its JSON's closing
   * brace): relayed as `before`, [framefill,] `after`. Null → relay it re-serialised from
   * `event` (which then holds the image).
   */
  splice: { before: Uint8Array[]; after: Uint8Array[] } | null;
}

const LF = 0x0a;
const CR = 0x0d;
const CLOSE_BRACE = 0x7d;
/** An event that starts `event: <name>` then `data: {`: the shape OpenAI sends. */
const STANDARD_HEAD = /^event: ?([^\r\n]*)\r?\ndata: ?\{/;
const HEAD_BYTES = 256;
const COMPLETED = /\.completed$/;
const PARTIAL_IMAGE = /\.partial_image$/;

/** An event type naming a partial image (`image_generation.partial_image`, `image_edit.partial_image`). */
export const isPartialImage = (type: string): boolean => PARTIAL_IMAGE.test(type);

const decoder = new TextDecoder();
const isBlank = (b: number) => b === 0x20 || b === 0x09 || b === LF || b === CR;

/** Reads one raw upstream event. Throws SyntaxError when its JSON is broken. */
export function readUpstreamEvent(raw: RawSseEvent, wantImage: boolean): UpstreamEvent {
  const bytes = new EventBytes(raw.parts);
  const head = STANDARD_HEAD.exec(bytes.latin1(0, Math.min(HEAD_BYTES, bytes.length)));
  if (head && raw.lines === 3) {
    const name = head[1]!;
    // The data line: from its `{` to its line feed, the last but one (3 line feeds: the event
    // line's, in the head, the data line's and the blank line's).
    const start = head.index + head[0].length - 1;
    let end = bytes.length - 1; // the blank line's LF
    if (bytes.at(end - 1) === CR) end--;
    end--; // the data line's LF
    if (bytes.at(end) === LF && end > start) {
      if (bytes.at(end - 1) === CR) end--;
      let close = end - 1;
      while (close > start && isBlank(bytes.at(close))) close--;
      if (COMPLETED.test(name)) {
        const completed = bytes.at(close) === CLOSE_BRACE ? readCompleted(bytes, start, end, close, wantImage) : null;
        if (completed) return completed;
      } else if (name !== 'error' && bytes.at(close) === CLOSE_BRACE) {
        // One `data:` line holding what is framed as a JSON object: relayed as it is.
        return { kind: 'forward', partial: isPartialImage(name) };
      }
    }
  }
  return readWhole(raw, wantImage);
}

/**
 * A standard completed event parsed without its image: its `"b64_json"` value (found as a
 * non-stream body's are, json-images.ts) is cut out before JSON.parse, and read only when wanted. Null when the event
 * is not in that shape (the caller then parses it whole).
 */
function readCompleted(bytes: EventBytes, start: number, end: number, close: number, wantImage: boolean): CompletedEvent | null {
  const image = nextImageValue(bytes, start, end);
  if (typeof image === 'string') return null;
  const [imageStart, imageEnd] = image;
  const event: unknown = JSON.parse(bytes.decode(start, imageStart) + bytes.decode(imageEnd, end));
  // The key found must have been the event's own (a nested one would leave b64_json intact);
  // one that already has `framefill` is re-serialised, which needs its image: parse it whole.
  if (!isObject(event) || event.b64_json !== '' || typeof event.type !== 'string' || !COMPLETED.test(event.type) || 'framefill' in event) return null;
  return {
    kind: 'completed',
    type: event.type,
    event,
    image: wantImage ? new Base64Bytes(bytes.slices(imageStart, imageEnd)) : null,
    splice: { before: bytes.slices(0, close), after: bytes.slices(close, bytes.length) },
  };
}

/** Any event, parsed whole as an SSE block (fields, multi-line data), as the SDK reads them. */
function readWhole(raw: RawSseEvent, wantImage: boolean): UpstreamEvent {
  const data: string[] = [];
  for (const line of decoder.decode(joinEvent(raw)).split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field === 'data') data.push(colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, ''));
  }
  if (data.length === 0) return { kind: 'ignore' };
  const text = data.join('\n');
  if (text.startsWith('[DONE]')) return { kind: 'done' };
  const event: unknown = JSON.parse(text);
  if (isObject(event) && event.error) return { kind: 'error', error: event.error };
  if (!isObject(event) || typeof event.type !== 'string') return { kind: 'ignore' };
  if (COMPLETED.test(event.type)) {
    const image = typeof event.b64_json === 'string' ? event.b64_json : '';
    return { kind: 'completed', type: event.type, event, image: wantImage ? image : null, splice: null };
  }
  return { kind: 'other', type: event.type, event };
}
