// A hostile OpenAI Images API on 127.0.0.1 (test code): OpenAI-shaped 200 answers whose account
// of the work cannot be trusted — a `usage` block that is missing, zero, negative or inflated,
// more images than asked for, or a body padded to any size (streamed in 64 KB chunks, with or
// without a Content-Length). It records what it was asked and how much of each body it got to
// send before the backend hung up. Plain node:http; nothing is buffered beyond one chunk.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../support/loopback-server';
import { startBackendProcess, unlimitedEnv, type BackendProcess } from '../hardening/child-process';

/** A 1×1 PNG: the backend never decodes images, any base64 does. */
const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const CHUNK = 64 * 1024;

export interface HostileScript {
  /** the `usage` block sent (`undefined`: none at all) */
  usage?: unknown;
  /** images in `data`, or completed events of a stream (`stream: true`); default: the request's n */
  images?: number;
  /** base64 padding added to the first image, in bytes: a body as large as that (JSON only) */
  padBytes?: number;
  /** announce the padded body's length up front (default: chunked, length unknown) */
  contentLength?: boolean;
}

export interface HostileRequest {
  fields: Record<string, unknown>;
  /** body bytes the stub wrote before the response ended or the backend hung up */
  bytesSent: number;
  /** bytes the body would have had */
  bytesPlanned: number;
  /** the backend hung up before the whole body was sent */
  cut: boolean;
}

export interface HostileUpstream {
  /** base URL incl. /v1, for OPENAI_BASE_URL */
  url: string;
  requests: HostileRequest[];
  script(next: HostileScript): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Writes `count` bytes of 'A' (valid base64) in chunks, waiting for the socket to drain; false when it closed. */
async function writePadding(res: ServerResponse, count: number, record: HostileRequest): Promise<boolean> {
  const chunk = Buffer.alloc(CHUNK, 'A');
  for (let left = count; left > 0; left -= CHUNK) {
    if (res.destroyed) return false;
    const piece = left >= CHUNK ? chunk : chunk.subarray(0, left);
    record.bytesSent += piece.length;
    if (!res.write(piece)) {
      const drained = await new Promise<boolean>((resolve) => {
        const onDrain = () => {
          res.off('close', onClose);
          resolve(true);
        };
        const onClose = () => {
          res.off('drain', onDrain);
          resolve(false);
        };
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
      if (!drained) return false;
    }
  }
  return !res.destroyed;
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  let current: HostileScript = {};
  const requests: HostileRequest[] = [];

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fields = await readJson(req);
    const n = typeof fields.n === 'number' ? fields.n : 1;
    const count = current.images ?? n;
    if (fields.stream === true) return stream(res, fields, count);
    const pad = current.padBytes ?? 0;
    const head = `{"created":${Math.floor(Date.now() / 1000)},"size":"1024x1024","quality":"low","output_format":"png","data":[`;
    const image = (i: number) => `${i > 0 ? ',' : ''}{"b64_json":"${TINY_PNG.slice(0, -2)}`;
    const imageEnd = '=="}';
    const tail = `]${current.usage === undefined ? '' : `,"usage":${JSON.stringify(current.usage)}`}}`;
    const fixed = head + Array.from({ length: count }, (_, i) => image(i) + imageEnd).join('') + tail;
    const record: HostileRequest = { fields, bytesSent: 0, bytesPlanned: Buffer.byteLength(fixed) + pad, cut: false };
    requests.push(record);
    res.on('close', () => {
      if (!res.writableFinished) record.cut = true;
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-request-id': `req_hostile_${requests.length}`,
      ...(current.contentLength ? { 'content-length': String(record.bytesPlanned) } : {}),
    });
    const write = (text: string) => {
      record.bytesSent += Buffer.byteLength(text);
      res.write(text);
    };
    write(head);
    for (let i = 0; i < count; i++) {
      write(image(i));
      if (i === 0 && pad > 0 && !(await writePadding(res, pad, record))) return;
      write(imageEnd);
    }
    record.bytesSent += Buffer.byteLength(tail);
    res.end(tail);
  }

  /** SSE: `count` completed events, each with the scripted usage (no padding). */
  function stream(res: ServerResponse, fields: Record<string, unknown>, count: number): void {
    const record: HostileRequest = { fields, bytesSent: 0, bytesPlanned: 0, cut: false };
    requests.push(record);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': `req_hostile_${requests.length}` });
    for (let i = 0; i < count; i++) {
      const event = { type: 'image_generation.completed', b64_json: TINY_PNG, size: '1024x1024', quality: 'low', output_format: 'png', ...(current.usage === undefined ? {} : { usage: current.usage }) };
      const text = `event: image_generation.completed\ndata: ${JSON.stringify(event)}\n\n`;
      record.bytesSent += Buffer.byteLength(text);
      res.write(text);
    }
    record.bytesPlanned = record.bytesSent;
    res.end();
  }

  const server = createServer((req, res) => {
    answer(req, res).catch(() => res.destroy());
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    script(next) {
      current = next;
    },
    close,
  };
}

/**
 * The backend in a child process (test/hardening/child-process.ts) in front of `upstreamUrl`
 * (this stub or the fake OpenAI), one token `alice`, no retries and no limits unless `extra` sets them.
 */
export function startBackendBehind(upstreamUrl: string, openaiKey: string, aliceSecret: string, extra: Record<string, string> = {}): Promise<BackendProcess> {
  return startBackendProcess({
    OPENAI_API_KEY: openaiKey,
    OPENAI_BASE_URL: upstreamUrl,
    FRAMEFILL_TOKENS: `alice:${aliceSecret}`,
    FRAMEFILL_UPSTREAM_RETRIES: '0',
    ...unlimitedEnv(),
    ...extra,
  });
}
