// A non-stream ImagesResponse read from the bytes it arrived in, its images never made JS strings:
// each `"b64_json": "…"` value is cut out before JSON.parse (the rest is a few hundred bytes of
// `created`, `usage` and sizes) and kept as Base64Bytes, and the body relayed to the client is
// OpenAI's own bytes with `,"framefill":{…}` put before the closing brace. Each image was three
// strings of ~0.5–20 MB before (the decoded text, the parsed value, the spliced reply): large
// objects in V8's old space that made every edit or generation pay for a full collection.
// Web-standard (Uint8Array only). The stream relay does the same per event (events.ts).
import { Base64Bytes } from './base64-bytes';
import { concatBytes } from './concat-bytes';
import { EventBytes } from './sse-splitter';
import { isObject } from './values';

export interface ImagesJson {
  /** the parsed body; each `data[i].b64_json` cut out is a Base64Bytes of its bytes */
  body: unknown;
  /** the body as received, split before its closing brace; null when it has none to split at */
  splice: { before: Uint8Array[]; after: Uint8Array[] } | null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COLON = 0x3a;
const IMAGE_KEY = new TextEncoder().encode('"b64_json"');
const isJsonSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/** Where `,"framefill":…` goes: the last `}` of a non-empty object, or -1. */
function closingBrace(bytes: EventBytes): number {
  let close = bytes.length - 1;
  while (close >= 0 && isJsonSpace(bytes.at(close))) close--;
  if (close < 1 || bytes.at(close) !== CLOSE_BRACE) return -1;
  let before = close - 1;
  while (before >= 0 && isJsonSpace(bytes.at(before))) before--;
  return before < 0 || bytes.at(before) === OPEN_BRACE ? -1 : close;
}

/** After `"b64_json"` at `key`: the index just past `: "` (any JSON spacing), or -1 when it is not a key with a string value. */
function valueStart(bytes: EventBytes, key: number): number {
  let at = key + IMAGE_KEY.length;
  while (isJsonSpace(bytes.at(at))) at++;
  if (bytes.at(at) !== COLON) return -1;
  at++;
  while (isJsonSpace(bytes.at(at))) at++;
  return bytes.at(at) === QUOTE ? at + 1 : -1;
}

/**
 * The next `"b64_json": "…"` value in [from, to), as the [start, end) of its base64: 'none' when
 * there is none; 'unusable' when it is not plain base64 in quotes (an escape such as `\/`, or no
 * closing quote), which is left to a whole parse. Also the stream relay's (events.ts).
 */
export function nextImageValue(bytes: EventBytes, from: number, to = bytes.length): [number, number] | 'none' | 'unusable' {
  for (let key = bytes.indexOfSequence(IMAGE_KEY, from, to); key >= 0; key = bytes.indexOfSequence(IMAGE_KEY, key + IMAGE_KEY.length, to)) {
    const start = valueStart(bytes, key);
    if (start < 0 || start > to) continue;
    const end = bytes.indexOf(QUOTE, start, to);
    return end < 0 || bytes.indexOf(BACKSLASH, start, end) >= 0 ? 'unusable' : [start, end];
  }
  return 'none';
}

/** The image values as [start, end) byte ranges, or null when one is not plain base64 in quotes. */
function imageRanges(bytes: EventBytes): Array<[number, number]> | null {
  const ranges: Array<[number, number]> = [];
  for (let next = nextImageValue(bytes, 0); next !== 'none'; next = nextImageValue(bytes, next[1] + 1)) {
    if (next === 'unusable') return null;
    ranges.push(next);
  }
  return ranges;
}

/** The whole body as text, parsed: the way for anything not in OpenAI's usual shape. Throws SyntaxError. */
function parseWhole(bytes: EventBytes, close: number): ImagesJson {
  return { body: JSON.parse(bytes.decode(0, bytes.length)), splice: splitAt(bytes, close) };
}

const splitAt = (bytes: EventBytes, close: number) => (close < 0 ? null : { before: bytes.slices(0, close), after: bytes.slices(close, bytes.length) });

/**
 * Parses an upstream JSON body given as its chunks. Throws SyntaxError when it is not JSON.
 * Images are cut out only when every cut lands in a `data` entry's own `b64_json` (a key
 * elsewhere, or one already holding `framefill`, means the whole parse).
 */
export function readImagesJson(parts: readonly Uint8Array[]): ImagesJson {
  const bytes = new EventBytes(parts);
  const close = closingBrace(bytes);
  const ranges = imageRanges(bytes);
  if (ranges === null || ranges.length === 0) return parseWhole(bytes, close);
  let text = '';
  let from = 0;
  for (const [start, end] of ranges) {
    text += bytes.decode(from, start);
    from = end;
  }
  const body: unknown = JSON.parse(text + bytes.decode(from, bytes.length));
  const data = isObject(body) && Array.isArray(body.data) ? (body.data as unknown[]) : [];
  const cut = data.filter((item): item is Record<string, unknown> => isObject(item) && item.b64_json === '');
  if (cut.length !== ranges.length || (isObject(body) && 'framefill' in body)) return parseWhole(bytes, close);
  cut.forEach((item, i) => (item.b64_json = new Base64Bytes(bytes.slices(...ranges[i]!))));
  return { body, splice: splitAt(bytes, close) };
}

/** `before`, the text, `after` as one buffer: what the client is sent (one write, a Content-Length). */
export function joinWith(splice: { before: Uint8Array[]; after: Uint8Array[] }, text: string): Uint8Array<ArrayBuffer> {
  return concatBytes([...splice.before, new TextEncoder().encode(text), ...splice.after]);
}
