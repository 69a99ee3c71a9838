// HTTP/1.1 over a bare TCP socket, for requests no well-behaved client would send: broken
// framing, odd bytes in headers, lying Content-Length, slow uploads. One request per connection.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  /** lower-cased names; repeated headers joined with ", " */
  headers: Record<string, string>;
  body: Buffer;
  /** the body ended as framed (Content-Length reached, last chunk seen, or no body expected) */
  complete: boolean;
}

export interface RawExchange {
  response: RawResponse | null;
  /** why there is no (complete) response: socket error, timeout, closed early */
  error: string | null;
  timedOut: boolean;
  bytesSent: number;
  /** request bytes written when the response's status line arrived */
  bytesSentAtResponse: number | null;
  ms: number;
}

export interface RawOptions {
  host?: string;
  port: number;
  /** the whole exchange, connect to last response byte */
  timeoutMs: number;
  /** HEAD requests get no body whatever Content-Length says */
  head?: boolean;
  /** stop writing once the response has begun (for uploads the server refuses early) */
  stopWritingOnResponse?: boolean;
}

const HEADER_END = Buffer.from('\r\n\r\n');

interface Parsed {
  response: RawResponse;
  /** bytes after the head belonging to this response so far, and whether it is finished */
  done: boolean;
}

/** Parses what arrived so far; null until a final (non-1xx) status line and headers are in. */
function parse(buffer: Buffer, head: boolean, closed: boolean): Parsed | null {
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf(HEADER_END, offset);
    if (end < 0) return null;
    const lines = buffer.subarray(offset, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!match) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0]?.slice(0, 80))}`);
    const status = Number(match[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    offset = end + HEADER_END.length;
    if (status >= 100 && status < 200) continue; // 100 Continue and friends: the final one follows
    const rest = buffer.subarray(offset);
    if (head || status === 204 || status === 304) return { response: { status, headers, body: Buffer.alloc(0), complete: true }, done: true };
    const length = headers['content-length'];
    if (length !== undefined && !headers['transfer-encoding']) {
      const want = Number(length);
      const body = rest.subarray(0, want);
      return { response: { status, headers, body, complete: body.length === want }, done: body.length >= want };
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const { body, complete } = dechunk(rest);
      return { response: { status, headers, body, complete }, done: complete };
    }
    return { response: { status, headers, body: rest, complete: closed }, done: false };
  }
}

function dechunk(data: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', i);
    if (lineEnd < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(data.subarray(i, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    if (data.length < start + size + 2) {
      parts.push(data.subarray(start, Math.min(data.length, start + size)));
      return { body: Buffer.concat(parts), complete: false };
    }
    parts.push(data.subarray(start, start + size));
    i = start + size + 2;
  }
}

/**
 * Sends `request` (raw bytes, or chunks produced over time) on a new connection and reads one
 * response. Never rejects: every outcome, including no response at all, is described.
 */
export function rawExchange(request: Buffer | AsyncIterable<Buffer>, options: RawOptions): Promise<RawExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let bytesSent = 0;
    let bytesSentAtResponse: number | null = null;
    let settled = false;
    let sawResponse = false;

    const finish = (error: string | null, timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      let response: RawResponse | null = null;
      let parseError: string | null = null;
      try {
        response = parse(Buffer.concat(received), options.head === true, true)?.response ?? null;
      } catch (e) {
        parseError = e instanceof Error ? e.message : String(e);
      }
      socket.destroy();
      resolve({
        response,
        error: parseError ?? (response?.complete ? null : error ?? (response ? 'response cut short' : 'closed without a response')),
        timedOut,
        bytesSent,
        bytesSentAtResponse,
        ms: performance.now() - started,
      });
    };
    const timer = setTimeout(() => finish('timed out', true), options.timeoutMs);

    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      receivedBytes += chunk.length;
      if (!sawResponse) {
        sawResponse = true;
        bytesSentAtResponse = bytesSent;
      }
      if (receivedBytes > 256 * 1024 * 1024) return finish('response over 256 MB');
      try {
        const parsed = parse(Buffer.concat(received), options.head === true, false);
        if (parsed?.done) finish(null);
      } catch (e) {
        finish(e instanceof Error ? e.message : String(e));
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // EPIPE/ECONNRESET while still writing is how a server refuses an upload; keep reading
      // what it sent before, which 'close' will hand to finish().
      if (!sawResponse && e.code !== 'EPIPE' && e.code !== 'ECONNRESET') finish(`socket error ${e.code ?? e.message}`);
    });
    socket.on('close', () => finish(null));

    socket.once('connect', () => {
      void (async () => {
        try {
          if (Buffer.isBuffer(request)) {
            bytesSent += request.length;
            socket.write(request);
            return;
          }
          for await (const chunk of request) {
            if (settled || socket.destroyed) return;
            if (options.stopWritingOnResponse && sawResponse) return;
            bytesSent += chunk.length;
            if (!socket.write(chunk)) {
              await new Promise<void>((r) => {
                const go = () => {
                  socket.off('drain', go);
                  socket.off('close', go);
                  r();
                };
                socket.on('drain', go);
                socket.on('close', go);
              });
            }
          }
        } catch {
          // the socket went away mid-write; 'close' reports the outcome
        }
      })();
    });
  });
}

/** A request head (request line + headers, CRLF-framed) as bytes; header values may be raw bytes. */
export function requestHead(requestLine: string | Buffer, headers: ReadonlyArray<readonly [string, string | Buffer]>): Buffer {
  const parts: Buffer[] = [Buffer.isBuffer(requestLine) ? requestLine : Buffer.from(requestLine, 'latin1'), Buffer.from('\r\n')];
  for (const [name, value] of headers) {
    parts.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('\r\n'));
  return Buffer.concat(parts);
}
