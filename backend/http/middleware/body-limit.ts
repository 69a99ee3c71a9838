// Request-size limit, enforced while the body streams in (never buffering more than the limit).
// An oversized body is still read to the end and discarded, up to a cap, before the 413 goes
// out: a server that answers and hangs up mid-upload makes browsers and fetch report a
// connection error instead of the clear "too large" message.
import type { MiddlewareHandler } from 'hono';
import { clientGone, payloadTooLarge } from '../../errors';
import { clientHungUp } from '../routes/body';

/** Most we read-and-discard from an oversized upload, and for how long, before giving up on it. */
export const DRAIN_CAP_BYTES = 64 * 1024 * 1024;
export const DRAIN_TIMEOUT_MS = 5_000;

/** Reads and drops the rest of a body, up to `capBytes` in all and DRAIN_TIMEOUT_MS, then lets it go. */
export async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, capBytes: number = DRAIN_CAP_BYTES): Promise<void> {
  let read = alreadyRead;
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), DRAIN_TIMEOUT_MS);
  try {
    while (read <= capBytes) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away or the drain was cut short; the 413 is still the answer
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads and drops the body of a request refused before its body was looked at (limits, caps), so
 * the client sees the refusal rather than a reset — never buffered, and only up to the drain cap
 * and time. Bodiless requests (no Content-Length, no Transfer-Encoding) are left alone.
 */
export async function drainUnread(request: Request, drainCapBytes = DRAIN_CAP_BYTES): Promise<void> {
  const declared = request.headers.get('content-length');
  const chunked = request.headers.has('transfer-encoding');
  if (!chunked && (declared === null || declared === '0' || Number(declared) > drainCapBytes)) return;
  const body = request.body;
  if (body && !body.locked) await discard(body.getReader(), 0, drainCapBytes);
}

export function limitBody(maxBytes: number, drainCapBytes = DRAIN_CAP_BYTES): MiddlewareHandler {
  return async (c, next) => {
    // Headers first: a body within its declared length is left untouched, so the route reads it
    // in one go (on Node, @hono/node-server then reads the socket directly, with no web stream).
    const declared = c.req.raw.headers.get('content-length');
    const chunked = c.req.raw.headers.has('transfer-encoding');
    if (declared !== null && !chunked) {
      // The HTTP parser holds the client to its Content-Length, so the header can be trusted.
      if (Number(declared) <= maxBytes) return next();
      const body = c.req.raw.body;
      if (body && Number(declared) <= drainCapBytes) await discard(body.getReader(), 0, drainCapBytes);
      throw payloadTooLarge(maxBytes);
    }
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw clientHungUp(c.req.raw, err) ? clientGone(err) : err;
      }
      const { done, value } = chunk;
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        chunks.length = 0;
        await discard(reader, size, drainCapBytes);
        throw payloadTooLarge(maxBytes);
      }
      chunks.push(value);
    }
    const buffer = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      buffer.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: buffer });
    return next();
  };
}
