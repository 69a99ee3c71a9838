// Splits an upstream event stream into whole SSE events without decoding or copying it: each
// event is the list of byte slices it arrived in, blank line included, ready to be forwarded
// unchanged. Image events are large (a partial or final image is ~0.5–20 MB of base64 on one
// `data:` line, in dozens of network chunks), so the work per chunk is one scan of the new bytes
// for line feeds: nothing is re-scanned, concatenated or decoded here. Web-standard (Uint8Array
// only), so it runs on every platform the backend does.

import { concatBytes } from './concat-bytes';

const LF = 0x0a;
const CR = 0x0d;

/** One event as received: slices of the upstream's chunks, in order, ending with its blank line. */
export interface RawSseEvent {
  parts: Uint8Array[];
  /** total length of `parts` */
  bytes: number;
  /** line feeds in it: `event:` + `data:` + the blank line make 3 */
  lines: number;
}

/** An event grew past the limit without ending: a broken (or hostile) upstream, hence a SyntaxError. */
export class SseEventTooLarge extends SyntaxError {
  override name = 'SseEventTooLarge';
}

export class SseSplitter {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private lines = 0;
  /** bytes of the current line so far, since the last line feed (possibly in earlier chunks) */
  private lineLength = 0;
  /** the previous chunk's last byte: a line of just CR may end in the next chunk */
  private lastByte = -1;

  constructor(private readonly maxEventBytes: number) {}

  /**
   * Hands `onEvent` each event this chunk completes (often none: most chunks are the middle of
   * an image); stops early, returning false, when `onEvent` returns false. An event ends at a
   * blank line (LF LF or CRLF CRLF); the SSE spec's lone-CR line endings are not supported
   * (neither OpenAI nor any HTTP library produces them). Events go to a callback rather than
   * into an array the caller keeps: an async caller suspended at its next read would keep that
   * array, and every image in it, alive (V8 saves a suspended function's registers).
   */
  push(chunk: Uint8Array, onEvent: (event: RawSseEvent) => boolean | void): boolean {
    let eventStart = 0;
    let lineStart = 0;
    let carried = this.lineLength;
    for (let lf = chunk.indexOf(LF); lf >= 0; lf = chunk.indexOf(LF, lineStart)) {
      const length = carried + (lf - lineStart);
      // A one-byte line is blank when that byte is CR; it may be the previous chunk's last byte.
      const only = lf > lineStart ? chunk[lf - 1] : this.lastByte;
      this.lines++;
      lineStart = lf + 1;
      carried = 0;
      if (length === 0 || (length === 1 && only === CR)) {
        this.take(chunk.subarray(eventStart, lineStart));
        const event: RawSseEvent = { parts: this.parts, bytes: this.bytes, lines: this.lines };
        this.parts = [];
        this.bytes = 0;
        this.lines = 0;
        eventStart = lineStart;
        if (onEvent(event) === false) return false;
      }
    }
    if (eventStart < chunk.length) this.take(chunk.subarray(eventStart));
    this.lineLength = carried + (chunk.length - lineStart);
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
    return true;
  }

  /** Bytes of an event that has begun but not ended (at the end of the stream: a cut-off event). */
  get pendingBytes(): number {
    return this.bytes;
  }

  private take(slice: Uint8Array): void {
    if (slice.length === 0) return;
    this.parts.push(slice);
    this.bytes += slice.length;
    if (this.bytes > this.maxEventBytes) {
      this.parts = [];
      throw new SseEventTooLarge(`an upstream event grew past ${this.maxEventBytes} bytes without ending`);
    }
  }
}

/** The event's bytes in one array (the parts themselves when there is only one): a copy. */
export function joinEvent(event: RawSseEvent): Uint8Array {
  return event.parts.length === 1 ? event.parts[0]! : concatBytes(event.parts);
}

/** Parts smaller than this on average are joined before relaying: one write, not thousands. */
const MIN_AVERAGE_PART = 16 * 1024;

/**
 * Slices ready to write: as they are when they are network-sized chunks (no copy), joined into
 * one when an upstream trickled the event in tiny pieces (each write has a fixed cost).
 */
export function forWriting(parts: readonly Uint8Array[]): readonly Uint8Array[] {
  if (parts.length <= 4) return parts;
  const bytes = parts.reduce((n, p) => n + p.length, 0);
  return bytes / parts.length >= MIN_AVERAGE_PART ? parts : [joinEvent({ parts: [...parts], bytes, lines: 0 })];
}

/**
 * Random access to an event's bytes where they lie, across its parts, without joining them:
 * search, small decodes, and splitting at an offset (for splicing text in on the way out).
 */
export class EventBytes {
  /** start offset of each part */
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(readonly parts: readonly Uint8Array[]) {
    let offset = 0;
    for (const part of parts) {
      this.starts.push(offset);
      offset += part.length;
    }
    this.length = offset;
  }

  /** index of the part holding byte `i` (0 ≤ i < length) */
  private partAt(i: number): number {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  at(i: number): number {
    if (i < 0 || i >= this.length) return -1;
    const p = this.partAt(i);
    return this.parts[p]![i - this.starts[p]!]!;
  }

  /** First `byte` at or after `from` and before `to`, or -1: one native scan per part. */
  indexOf(byte: number, from: number, to = this.length): number {
    if (from >= to) return -1;
    for (let p = this.partAt(Math.max(0, from)); p < this.parts.length && this.starts[p]! < to; p++) {
      const start = this.starts[p]!;
      const found = this.parts[p]!.indexOf(byte, Math.max(0, from - start));
      if (found >= 0) return start + found < to ? start + found : -1;
    }
    return -1;
  }

  /** First occurrence of `needle` within [from, to), or -1. */
  indexOfSequence(needle: Uint8Array, from: number, to = this.length): number {
    for (let i = this.indexOf(needle[0]!, from, to); i >= 0 && i + needle.length <= to; i = this.indexOf(needle[0]!, i + 1, to)) {
      let j = 1;
      while (j < needle.length && this.at(i + j) === needle[j]) j++;
      if (j === needle.length) return i;
    }
    return -1;
  }

  /** The slices covering [from, to), no copies. */
  slices(from: number, to: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (from >= to) return out;
    for (let p = this.partAt(from); p < this.parts.length && this.starts[p]! < to; p++) {
      const start = this.starts[p]!;
      const part = this.parts[p]!;
      out.push(part.subarray(Math.max(0, from - start), Math.min(part.length, to - start)));
    }
    return out;
  }

  /** UTF-8 text of [from, to), decoded piece by piece (no joined copy of the bytes). */
  decode(from: number, to: number): string {
    const decoder = new TextDecoder();
    let text = '';
    for (const slice of this.slices(from, to)) text += decoder.decode(slice, { stream: true });
    return text + decoder.decode();
  }

  /** Latin-1 text of [from, to), for short ASCII headers. */
  latin1(from: number, to: number): string {
    let text = '';
    for (const slice of this.slices(from, to)) text += String.fromCharCode(...slice);
    return text;
  }
}
