// A large request body sent at a bounded rate, for checking that size limits bite while the body
// streams in (not after it was buffered).
import { requestHead } from './raw-http';

export interface SlowUploadOptions {
  host: string;
  path: string;
  headers: ReadonlyArray<readonly [string, string]>;
  totalBytes: number;
  /** declare the size up front (Content-Length) or stream it chunked */
  framing: 'content-length' | 'chunked';
  chunkBytes: number;
  /** pause between chunks */
  intervalMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function slowUpload(o: SlowUploadOptions): () => AsyncIterable<Buffer> {
  return async function* upload(): AsyncIterable<Buffer> {
    const framing: ReadonlyArray<readonly [string, string]> =
      o.framing === 'content-length' ? [['Content-Length', String(o.totalBytes)]] : [['Transfer-Encoding', 'chunked']];
    yield requestHead(`POST ${o.path} HTTP/1.1`, [['Host', o.host], ['Connection', 'close'], ...o.headers, ...framing]);
    const block = Buffer.alloc(o.chunkBytes, 0x61);
    const chunkHead = Buffer.from(`${o.chunkBytes.toString(16)}\r\n`);
    const crlf = Buffer.from('\r\n');
    for (let sent = 0; sent + o.chunkBytes <= o.totalBytes; sent += o.chunkBytes) {
      yield o.framing === 'chunked' ? Buffer.concat([chunkHead, block, crlf]) : block;
      await sleep(o.intervalMs);
    }
    if (o.framing === 'chunked') yield Buffer.from('0\r\n\r\n');
  };
}
