// multipart/form-data → the form's parts, each file a VIEW of the request body (no copy): an edit
// carries up to 16 references of several MB, and every copy of them shows in latency and memory.
// Pure and Web-standard (runs on Workers). Follows RFC 7578 / 2046 as browsers, curl and the
// OpenAI SDKs send it, and reads what undici's FormData parser reads (quoted names with %22,
// %0D, %0A escapes; filename*=utf-8''…); anything else is a MultipartError, never a guess.
// Bounded: one pass over the body (the boundary search never re-reads a byte more than a few
// times), at most MAX_PARTS parts with at most MAX_HEADER_BYTES of headers each.

export interface TextPart {
  name: string;
  /** the part's bytes as UTF-8 */
  value: string;
}

export interface FilePart {
  name: string;
  /** as sent (may be empty); for messages only */
  filename: string;
  /** the declared Content-Type; never trusted for what the file is */
  type: string;
  /** the file's bytes: a view into the request body */
  bytes: Uint8Array;
}

export type FormPart = ({ kind: 'text' } & TextPart) | ({ kind: 'file' } & FilePart);

/** A body that is not the multipart/form-data its Content-Type announced; `message` says where. */
export class MultipartError extends Error {}

/** More parts than any edit has (16 images, a mask, a dozen fields), with room to spare. */
export const MAX_PARTS = 256;
export const MAX_HEADER_BYTES = 16 * 1024;
/** RFC 2046: 1 to 70 characters. */
const MAX_BOUNDARY = 70;

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const QUOTE = 0x22;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const STAR = 0x2a;

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** Header bytes as text, one character per byte (headers are short; bounded by MAX_HEADER_BYTES). */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return text;
}

/**
 * The `boundary` parameter of a multipart Content-Type, or null when missing or unusable.
 * Printable ASCII only (RFC 2046's characters are a subset): no CR or LF, which the boundary
 * search relies on.
 */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2] ?? '';
  if (boundary.length === 0 || boundary.length > MAX_BOUNDARY || !/^[\x20-\x7e]*[\x21-\x7e]$/.test(boundary)) return null;
  return boundary;
}

/**
 * Index of `needle` in `hay` at or after `from`, or -1. Horspool's skip (most windows move on
 * by the needle's whole length on image bytes), verified forwards from the needle's first byte.
 * That byte (CR) occurs nowhere else in the needle, so a verification that fails after matching
 * k bytes leaves no window start in those k bytes that could pass its first compare: linear in
 * the worst case, whatever bytes a client sends.
 */
function indexOfDelimiter(hay: Uint8Array, needle: Uint8Array, shift: Uint8Array, from: number): number {
  const m = needle.length;
  const last = m - 1;
  const tail = needle[last]!;
  for (let i = from; i + m <= hay.length; ) {
    const c = hay[i + last]!;
    if (c === tail) {
      let j = 0;
      while (j < last && hay[i + j] === needle[j]) j++;
      if (j === last) return i;
    }
    i += shift[c]!;
  }
  return -1;
}

function shiftTable(needle: Uint8Array): Uint8Array {
  const table = new Uint8Array(256).fill(needle.length);
  for (let k = 0; k < needle.length - 1; k++) table[needle[k]!] = needle.length - 1 - k;
  return table;
}

/** The form's parts in order. Throws MultipartError on anything malformed, cut off or excessive. */
export function parseMultipart(body: Uint8Array, boundary: string): FormPart[] {
  // Every delimiter after the first is CRLF "--" boundary; the first may also open the body.
  const delimiter = ascii(`\r\n--${boundary}`);
  const shift = shiftTable(delimiter);
  let pos: number;
  if (startsWithAt(body, delimiter, 2, 0)) pos = delimiter.length - 2;
  else {
    const first = indexOfDelimiter(body, delimiter, shift, 0);
    if (first < 0) throw new MultipartError(`no part starts with the boundary '${boundary}' from the Content-Type`);
    pos = first + delimiter.length;
  }
  const parts: FormPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the form (an epilogue is ignored), else optional padding and CRLF.
    if (body[pos] === DASH && body[pos + 1] === DASH) return parts;
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== CR || body[pos + 1] !== LF) throw new MultipartError(pos >= body.length ? 'it ends without the closing boundary' : 'a boundary line is followed by something other than a line break');
    pos += 2;
    if (parts.length === MAX_PARTS) throw new MultipartError(`it has more than ${MAX_PARTS} parts`);
    const head = readHeaders(body, pos);
    const end = indexOfDelimiter(body, delimiter, shift, head.end);
    if (end < 0) throw new MultipartError(`part ${parts.length + 1} ('${head.name}') is cut off: no boundary follows it`);
    const bytes = body.subarray(head.end, end);
    parts.push(
      head.filename === null
        ? { kind: 'text', name: head.name, value: utf8.decode(bytes) }
        : { kind: 'file', name: head.name, filename: head.filename, type: head.type ?? 'application/octet-stream', bytes },
    );
    pos = end + delimiter.length;
  }
}

function startsWithAt(hay: Uint8Array, needle: Uint8Array, skip: number, at: number): boolean {
  if (at + needle.length - skip > hay.length) return false;
  for (let k = skip; k < needle.length; k++) if (hay[at + k - skip] !== needle[k]) return false;
  return true;
}

interface PartHead {
  name: string;
  filename: string | null;
  type: string | null;
  /** where the part's content starts */
  end: number;
}

/** The part's headers, from `start` to the blank line; only Content-Disposition and Content-Type matter. */
function readHeaders(body: Uint8Array, start: number): PartHead {
  let name: string | null = null;
  let filename: string | null = null;
  let type: string | null = null;
  let pos = start;
  for (;;) {
    if (pos - start > MAX_HEADER_BYTES) throw new MultipartError(`a part's headers are longer than ${MAX_HEADER_BYTES} bytes`);
    const eol = lineEnd(body, pos, start + MAX_HEADER_BYTES);
    if (eol < 0) throw new MultipartError(pos >= body.length ? 'it ends inside the headers of a part' : `a part's headers are longer than ${MAX_HEADER_BYTES} bytes`);
    if (eol === pos) {
      if (name === null) throw new MultipartError('a part has no Content-Disposition with a name');
      return { name, filename, type, end: pos + 2 };
    }
    const line = body.subarray(pos, eol);
    const colon = line.indexOf(0x3a);
    const field = colon > 0 ? latin1(line.subarray(0, colon)).trim().toLowerCase() : '';
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(field)) throw new MultipartError('a part has a malformed header line');
    const value = line.subarray(colon + 1);
    if (field === 'content-disposition') ({ name, filename } = readDisposition(value));
    else if (field === 'content-type') type = latin1(value).trim();
    else if (field === 'content-transfer-encoding') {
      const encoding = latin1(value).trim().toLowerCase();
      if (encoding !== 'binary' && encoding !== '8bit' && encoding !== '7bit') {
        throw new MultipartError(`Content-Transfer-Encoding '${encoding.slice(0, 20)}' is not supported; send files as binary`);
      }
    }
    pos = eol + 2;
  }
}

/** Index of the CR of the next CRLF at or after `from` (before `limit`), or -1. */
function lineEnd(body: Uint8Array, from: number, limit: number): number {
  const stop = Math.min(body.length - 1, limit);
  for (let i = from; i < stop; i++) if (body[i] === CR && body[i + 1] === LF) return i;
  return -1;
}

const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09;
/** RFC 7230 token characters. */
const isToken = (b: number | undefined) => b !== undefined && b > 0x20 && b < 0x7f && !'()<>@,;:\\"/[]?={}'.includes(String.fromCharCode(b));

/** `form-data; name="…"; filename="…"` (also filename*=utf-8''…). */
function readDisposition(value: Uint8Array): { name: string | null; filename: string | null } {
  let pos = 0;
  while (isSpace(value[pos])) pos++;
  const typeStart = pos;
  while (isToken(value[pos])) pos++;
  if (latin1(value.subarray(typeStart, pos)).toLowerCase() !== 'form-data') throw new MultipartError("a part's Content-Disposition is not form-data");
  let name: string | null = null;
  let filename: string | null = null;
  let extended: string | null = null;
  for (;;) {
    while (isSpace(value[pos])) pos++;
    if (pos >= value.length) break;
    if (value[pos] !== SEMICOLON) throw new MultipartError("a part's Content-Disposition is malformed");
    pos++;
    while (isSpace(value[pos])) pos++;
    if (pos >= value.length) break; // a trailing ';'
    const keyStart = pos;
    while (isToken(value[pos]) && value[pos] !== STAR) pos++;
    const key = latin1(value.subarray(keyStart, pos)).toLowerCase();
    const star = value[pos] === STAR;
    if (star) pos++;
    while (isSpace(value[pos])) pos++;
    if (key === '' || value[pos] !== EQUALS) throw new MultipartError("a part's Content-Disposition is malformed");
    pos++;
    while (isSpace(value[pos])) pos++;
    let text: string;
    if (star) {
      const start = pos;
      while (pos < value.length && !isSpace(value[pos]) && value[pos] !== SEMICOLON) pos++;
      text = extendedValue(latin1(value.subarray(start, pos)));
    } else if (value[pos] === QUOTE) {
      const close = value.indexOf(QUOTE, pos + 1);
      if (close < 0) throw new MultipartError("a part's Content-Disposition has an unclosed quote");
      // As browsers escape them (and undici reads them): %22 for ", %0D and %0A for line breaks.
      text = utf8.decode(value.subarray(pos + 1, close)).replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"');
      pos = close + 1;
    } else {
      const start = pos;
      while (isToken(value[pos])) pos++;
      text = utf8.decode(value.subarray(start, pos));
    }
    if (key === 'name' && !star) name = text;
    else if (key === 'filename') {
      if (star) extended = text;
      else filename = text;
    }
  }
  return { name, filename: extended ?? filename };
}

/** RFC 5987 `utf-8''percent-encoded` (the only charset browsers use). */
function extendedValue(raw: string): string {
  const match = /^utf-8'[^']*'(.*)$/i.exec(raw);
  if (!match) throw new MultipartError("a part's filename* is not utf-8''…");
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    throw new MultipartError("a part's filename* is not valid percent-encoded UTF-8");
  }
}
